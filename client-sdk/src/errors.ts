// One error class for every failure the SDK reports (REST, socket acks, handshakes, network), carrying the
// contract's closed error code so apps branch on `code`, never on messages.
import { ERROR_CODES, type ErrorCode } from './contract.ts';

/**
 * Fields of a GiveawayError besides its message.
 *
 * @example
 * throw new GiveawayError('Slow down', { code: 'RATE_LIMITED', retryAfter: 5 });
 */
export interface GiveawayErrorInit {
  code: ErrorCode;
  /** HTTP status of the response; for socket errors the code's usual status; 0 when nothing answered. */
  status?: number;
  retryAfter?: number;
  requestId?: string;
  details?: unknown;
  cause?: unknown;
}

/**
 * Every error the SDK throws or reports. `code` is one of the contract's codes (schema/contract/errors.ts);
 * network failures and timeouts are `UNAVAILABLE` with `status` 0.
 *
 * @example
 * try {
 *   await client.giveaways.join(id);
 * } catch (err) {
 *   if (err instanceof GiveawayError && err.code === 'REQUIREMENTS_NOT_MET') showRequirements(err.details);
 *   else if (err instanceof GiveawayError && err.retryable) retryIn(err.retryAfter ?? 1);
 * }
 */
export class GiveawayError extends Error {
  override readonly name = 'GiveawayError';
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds to wait before retrying, when the server said so (`retry_after` / `Retry-After`). */
  readonly retryAfter: number | undefined;
  /** The server's `X-Request-Id` for this request: quote it when reporting a problem. */
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(message: string, init: GiveawayErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status ?? (ERROR_CODES[init.code] as { status: number } | undefined)?.status ?? 0;
    this.retryAfter = init.retryAfter;
    this.requestId = init.requestId;
    this.details = init.details;
  }

  /** True when the same call may succeed later (rate limits, server or network trouble). */
  get retryable(): boolean {
    return (ERROR_CODES[this.code] as { retry: string } | undefined)?.retry === 'backoff';
  }
}

/** Codes that mean "this credential is refused", after which a fresh one may help. */
export const CREDENTIAL_CODES: ReadonlySet<string> = new Set([
  'INIT_DATA_INVALID',
  'INIT_DATA_EXPIRED',
  'API_KEY_INVALID',
]);

/** The code for a status when the body carries none (a proxy's 502 page, say). */
export function codeForStatus(status: number): ErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status >= 500) return status === 500 ? 'INTERNAL' : 'UNAVAILABLE';
  return status === 409 ? 'CONFLICT' : 'VALIDATION';
}

/** Wraps anything thrown into a GiveawayError (network errors become UNAVAILABLE). */
export function toGiveawayError(err: unknown, fallback = 'Request failed'): GiveawayError {
  if (err instanceof GiveawayError) return err;
  const message = err instanceof Error ? err.message : fallback;
  return new GiveawayError(message, { code: 'UNAVAILABLE', status: 0, cause: err });
}
