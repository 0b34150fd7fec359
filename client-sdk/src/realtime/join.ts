// client.join(): the socket join command with an ack timeout and an idempotency key kept across retries, so
// a join whose answer was lost can be repeated safely (the server answers `already_joined`).
import { toGiveawayError } from '../errors.ts';
import type { JoinResult } from '../types.ts';
import type { Connection } from './connection.ts';

/**
 * Options of `client.join`.
 *
 * @example
 * await client.join(id, { idempotencyKey: `join-${id}`, timeoutMs: 5_000, retries: 2 });
 */
export interface JoinOptions {
  /** Sent with every attempt of this join; generated when absent. */
  idempotencyKey?: string;
  /** Per attempt: waiting for the connection, then for the ack. Default: the client's timeoutMs. */
  timeoutMs?: number;
  /** Extra attempts after a retryable failure (timeouts, lost connections, rate limits). Default 3. */
  retries?: number;
}

/** A random key (crypto.randomUUID where available). */
export function idempotencyKey(): string {
  const uuid = globalThis.crypto?.randomUUID?.();
  return uuid ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export async function joinOverSocket(
  conn: Connection,
  giveawayId: string,
  timeoutMs: number,
  options: JoinOptions = {},
): Promise<JoinResult> {
  const key = options.idempotencyKey ?? idempotencyKey();
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      const ack = await conn.command<JoinResult>(
        'giveaway:join',
        { giveaway_id: giveawayId, idempotency_key: key },
        options.timeoutMs ?? timeoutMs,
      );
      return { status: ack.status };
    } catch (err) {
      const error = toGiveawayError(err);
      // The socket's init-data expired: present fresh init-data once and try again.
      if (error.code === 'INIT_DATA_EXPIRED' && attempt < retries && (await conn.refreshSession())) continue;
      if (!error.retryable || attempt >= retries || conn.state === 'closed' || conn.state === 'failed')
        throw error;
      const backoff = error.retryAfter !== undefined ? error.retryAfter * 1_000 : 250 * 2 ** attempt;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(backoff, 30_000) * (0.75 + Math.random() / 2)),
      );
    }
  }
}
