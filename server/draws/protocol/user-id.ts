// User ids at the module boundary: Telegram ids may exceed 2^53, so they arrive as bigint | number | string,
// are carried as bigint (or two u32 halves in bulk) internally, and leave as JSON numbers only when exact.
import { DrawProtocolError } from './errors.ts';

export type UserIdInput = bigint | number | string;
/** A user id as it appears in JSON: a number when it is a safe integer, else a decimal string. */
export type JsonUserId = number | string;

export const MAX_USER_ID = (1n << 63n) - 1n;
const DECIMAL = /^[0-9]{1,19}$/;

/** Parses and range-checks a user id (1 ≤ id < 2^63); throws INVALID_USER_ID otherwise. */
export function parseUserId(value: unknown): bigint {
  let id: bigint;
  if (typeof value === 'bigint') {
    id = value;
  } else if (typeof value === 'number') {
    // A number beyond 2^53 may already have been rounded, so it cannot be trusted to name one user.
    if (!Number.isSafeInteger(value)) throw invalid(value);
    id = BigInt(value);
  } else if (typeof value === 'string' && DECIMAL.test(value)) {
    id = BigInt(value);
  } else {
    throw invalid(value);
  }
  if (id < 1n || id > MAX_USER_ID) throw invalid(value);
  return id;
}

export function toJsonUserId(id: bigint): JsonUserId {
  return id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id.toString();
}

/** Same-user test for ids that may be written differently (5, 5n, '5'); false when either is not a valid id. */
export function sameUserId(a: unknown, b: unknown): boolean {
  try {
    return parseUserId(a) === parseUserId(b);
  } catch {
    return false;
  }
}

function invalid(value: unknown): DrawProtocolError {
  const shown = typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint';
  return new DrawProtocolError(
    'INVALID_USER_ID',
    `user_id must be an integer with 1 ≤ id < 2^63, got ${shown ? String(value) : typeof value}`,
  );
}
