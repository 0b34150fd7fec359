// AppError: the one exception type services throw for expected failures, and toAppError, the one place
// that turns anything thrown into a coded error. Internal detail goes to logs, never to clients.
import { ERROR_CODES, type ErrorCode, type ErrorPayload } from '../../schema/contract/index.ts';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].summary,
    readonly details?: unknown,
    readonly retryAfterSec?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].status;
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.retryAfterSec !== undefined ? { retry_after: this.retryAfterSec } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

/** PostgreSQL SQLSTATEs that mean "the database is unreachable or going away", not a bug of ours. */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const NET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (PG_UNAVAILABLE.has(code) || NET_UNAVAILABLE.has(code))) {
    return new AppError('UNAVAILABLE', 'A backing service is unavailable; retry shortly.', undefined, 1, {
      cause: err,
    });
  }
  if (
    err instanceof Error &&
    /Connection terminated|connection timeout|Connection is closed/i.test(err.message)
  ) {
    return new AppError('UNAVAILABLE', 'A backing service is unavailable; retry shortly.', undefined, 1, {
      cause: err,
    });
  }
  return new AppError('INTERNAL', 'Internal server error.', undefined, undefined, { cause: err });
}
