// Retries inside one Bot API call: a 429 whose retry_after is short is waited out (Telegram did not process
// the call); 5xx and network failures are retried with backoff for idempotent methods only. A long retry_after is returned to the caller, so a
// durable job can be deferred instead of holding a worker. Plays the role of @grammyjs/auto-retry.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Transformer } from 'grammy';

export interface AutoRetryOptions {
  /** A 429 asking to wait longer than this is not retried here (the caller defers). */
  maxRetryAfterSec?: number;
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  /** First backoff for 5xx/network failures; doubled per attempt. */
  baseDelayMs?: number;
}

/**
 * A send that failed on the network or with a 5xx may still have been delivered, so only reads are retried;
 * a failed send surfaces and the caller's own bookkeeping decides (see server/notifications).
 */
const IDEMPOTENT = /^(get|answerCallbackQuery$|setWebhook$|deleteWebhook$|setMyCommands$)/;

export function createAutoRetry(opts: AutoRetryOptions = {}): Transformer {
  const maxRetryAfterSec = opts.maxRetryAfterSec ?? 5;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
  const baseDelayMs = opts.baseDelayMs ?? 300;
  const wait = (ms: number, signal?: AbortSignal) => sleep(ms, undefined, signal ? { signal } : undefined);

  return async (prev, method, payload, grammySignal) => {
    // grammY types its signal with the abort-controller polyfill; at runtime it is the platform's.
    const signal = grammySignal as unknown as AbortSignal | undefined;
    // Long polling has its own retry loop in grammY.
    if (method === 'getUpdates') return prev(method, payload, grammySignal);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= maxAttempts;
      let res;
      try {
        res = await prev(method, payload, grammySignal);
      } catch (err) {
        if (last || signal?.aborted || !IDEMPOTENT.test(method)) throw err;
        await wait(baseDelayMs * 2 ** (attempt - 1), signal);
        continue;
      }
      if (res.ok || last) return res;
      if (res.error_code === 429) {
        const retryAfter = res.parameters?.retry_after ?? 1;
        if (retryAfter > maxRetryAfterSec) return res;
        await wait(retryAfter * 1000, signal);
        continue;
      }
      if (res.error_code >= 500 && IDEMPOTENT.test(method)) {
        await wait(baseDelayMs * 2 ** (attempt - 1), signal);
        continue;
      }
      return res;
    }
  };
}
