// Decoders for the text form of a one-dimensional bigint[] / integer[] value ('{1,2,3}'), straight into u32
// columns over shared memory (what the Merkle worker threads read): one pass over the characters, no split(),
// no per-element string or number object. pg's own array parser would build a JS array of a million values.

import type { EntrantColumns } from '../protocol/index.ts';

const TWO_POW_32 = 0x1_0000_0000;
const COMMA = 44;
const ZERO = 48;

/** The two aggregated arrays of a frozen list (bigint[] ids, integer[] weights) as entrant columns. */
export function parseEntrantArrays(ids: string, weights: string): EntrantColumns {
  // Counted once, on the shorter text: a pass over 13 MB of ids costs ~0.1 s at 1M entrants.
  const n = countElements(weights);
  const [idHi, idLo] = parseBigintArray(ids, n);
  return { idHi, idLo, weights: parseIntegerArray(weights, n) };
}

/** bigint[] of positive ids → [high 32 bits, low 32 bits] per element; `n`, when known, must be the count. */
export function parseBigintArray(text: string, n = countElements(text)): [Uint32Array, Uint32Array] {
  if (text.charCodeAt(0) !== 123 || text.charCodeAt(text.length - 1) !== 125) throw new Error('not an array');
  const hi = sharedU32(n);
  const lo = sharedU32(n);
  if (text.length === 2) return checked([hi, lo], 0, n);
  let i = 0;
  let start = 1;
  let value = 0;
  for (let at = 1; at < text.length; at++) {
    const ch = text.charCodeAt(at);
    if (ch >= ZERO && ch <= ZERO + 9) {
      value = value * 10 + (ch - ZERO);
      continue;
    }
    if (ch !== COMMA && at !== text.length - 1)
      throw new Error(`unexpected character in a bigint[]: ${text[at]}`);
    if (at - start > 15) {
      // Beyond 2^53 a double would round: such ids (not Telegram's) take the exact path.
      const big = BigInt(text.slice(start, at));
      hi[i] = Number(big >> 32n);
      lo[i] = Number(big & 0xffffffffn);
    } else {
      hi[i] = Math.floor(value / TWO_POW_32);
      lo[i] = value >>> 0;
    }
    i++;
    value = 0;
    start = at + 1;
  }
  return checked([hi, lo], i, n);
}

/** integer[] of positive values → u32 per element; `n`, when known, must be the count. */
export function parseIntegerArray(text: string, n = countElements(text)): Uint32Array {
  if (text.charCodeAt(0) !== 123 || text.charCodeAt(text.length - 1) !== 125) throw new Error('not an array');
  const out = sharedU32(n);
  if (text.length === 2) return checked(out, 0, n);
  let i = 0;
  let value = 0;
  for (let at = 1; at < text.length; at++) {
    const ch = text.charCodeAt(at);
    if (ch >= ZERO && ch <= ZERO + 9) {
      value = value * 10 + (ch - ZERO);
      continue;
    }
    if (ch !== COMMA && at !== text.length - 1)
      throw new Error(`unexpected character in an integer[]: ${text[at]}`);
    out[i++] = value;
    value = 0;
  }
  return checked(out, i, n);
}

/** A typed array drops writes past its end silently, so a count that was given must be checked. */
function checked<T>(columns: T, parsed: number, expected: number): T {
  if (parsed !== expected) throw new Error(`array of ${parsed} elements where ${expected} were expected`);
  return columns;
}

function countElements(text: string): number {
  if (text.charCodeAt(0) !== 123 || text.charCodeAt(text.length - 1) !== 125) throw new Error('not an array');
  if (text.length === 2) return 0;
  let n = 1;
  for (let at = 1; at < text.length - 1; at++) if (text.charCodeAt(at) === COMMA) n++;
  return n;
}

function sharedU32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(n * 4));
}

/**
 * Cuts the text of a one-dimensional array ('{1,2,3}') into arrays of at most `every` elements, each again an
 * array literal: slices of the text, nothing decoded. How a frozen list read as one aggregated array is stored
 * as chunks without building a number per element.
 */
export function sliceArrayText(text: string, every: number): string[] {
  if (text.charCodeAt(0) !== 123 || text.charCodeAt(text.length - 1) !== 125) throw new Error('not an array');
  if (!Number.isInteger(every) || every < 1) throw new Error('every must be a positive integer');
  if (text.length === 2) return [];
  const out: string[] = [];
  let start = 1;
  let seen = 0;
  for (let at = text.indexOf(',', start); at !== -1; at = text.indexOf(',', at + 1)) {
    if (++seen < every) continue;
    out.push(`{${text.slice(start, at)}}`);
    start = at + 1;
    seen = 0;
  }
  out.push(`{${text.slice(start, text.length - 1)}}`);
  return out;
}
