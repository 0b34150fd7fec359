// Byte helpers of the verifier (hex, big-endian integers, user ids as two u32 halves) without Buffer, so the
// same code runs in browsers and Node.

/**
 * A Telegram user id as it appears in JSON: a number when it is a safe integer, else a decimal string.
 *
 * @example
 * const ids: JsonUserId[] = [42, '9007199254740993'];
 */
export type JsonUserId = number | string;

const TWO_32 = 0x1_0000_0000;
const MAX_ID = (1n << 63n) - 1n;

export function isHex(value: unknown, bytes?: number): value is string {
  return (
    typeof value === 'string' &&
    /^(?:[0-9a-f]{2})+$/.test(value) &&
    (bytes === undefined || value.length === bytes * 2)
  );
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

export function u64be(value: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Parses a user id (1 ≤ id < 2^63) into [hi, lo] u32 halves, or null when it is not one. */
export function splitUserId(value: unknown): [number, number] | null {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 1) return null;
    return [Math.floor(value / TWO_32), value >>> 0];
  }
  if (typeof value !== 'string' || !/^[0-9]{1,19}$/.test(value)) return null;
  const id = BigInt(value);
  if (id < 1n || id > MAX_ID) return null;
  return [Number(id >> 32n), Number(id & 0xffffffffn)];
}

/** Canonical decimal form of a user id given as halves. */
export function joinUserId(hi: number, lo: number): string {
  return hi < 0x200000 ? String(hi * TWO_32 + lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Canonical decimal form of any valid user id (5, '5' and '05' differ only in spelling), or null. */
export function userIdKey(value: unknown): string | null {
  const parts = splitUserId(value);
  return parts ? joinUserId(parts[0], parts[1]) : null;
}
