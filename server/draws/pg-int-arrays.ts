// Decoders for the text form of a one-dimensional bigint[] / integer[] value ('{1,2,3}'), straight into u32
// columns over shared memory (what the Merkle worker threads read): one pass over the characters, no split(),
// no per-element string or number object. pg's own array parser would build a JS array of a million values.

const TWO_POW_32 = 0x1_0000_0000;
const COMMA = 44;
const ZERO = 48;

/** bigint[] of positive ids → [high 32 bits, low 32 bits] per element. */
export function parseBigintArray(text: string): [Uint32Array, Uint32Array] {
  const n = countElements(text);
  const hi = sharedU32(n);
  const lo = sharedU32(n);
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
  return [hi, lo];
}

/** integer[] of positive values → u32 per element. */
export function parseIntegerArray(text: string): Uint32Array {
  const out = sharedU32(countElements(text));
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
  return out;
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
