// SHA-256 for the two fixed shapes of the entrant tree (13-byte leaves, 65-byte nodes), on 32-bit words with no
// allocation per hash: a million entrants must hash in a browser within the time budget, which a general
// hasher's per-call overhead cannot meet. Cross-checked against @noble/hashes in the tests.

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Int32Array(64);
const S = new Int32Array(8);
/**
 * The second block of a node hash is the right child's last byte, then padding and the fixed length: only
 * 256 different blocks, so their schedules (with K added) are computed once and the block costs rounds only.
 */
let nodeTails: Int32Array | undefined;

/** Expands W[0..15] into the schedule and adds K, in place: W[t] becomes K[t] + W[t]. */
function schedule(): void {
  for (let t = 16; t < 64; t++) {
    const a = W[t - 15] as number;
    const b = W[t - 2] as number;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[t] = ((W[t - 16] as number) + s0 + (W[t - 7] as number) + s1) | 0;
  }
  for (let t = 0; t < 64; t++) W[t] = ((W[t] as number) + (K[t] as number)) | 0;
}

/** The 64 rounds over kw[at..at+64] (K already added), folded into S. */
function rounds(kw: Int32Array, at: number): void {
  let a = S[0] as number;
  let b = S[1] as number;
  let c = S[2] as number;
  let d = S[3] as number;
  let e = S[4] as number;
  let f = S[5] as number;
  let g = S[6] as number;
  let h = S[7] as number;
  for (let t = 0; t < 64; t++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + (kw[at + t] as number)) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  S[0] = ((S[0] as number) + a) | 0;
  S[1] = ((S[1] as number) + b) | 0;
  S[2] = ((S[2] as number) + c) | 0;
  S[3] = ((S[3] as number) + d) | 0;
  S[4] = ((S[4] as number) + e) | 0;
  S[5] = ((S[5] as number) + f) | 0;
  S[6] = ((S[6] as number) + g) | 0;
  S[7] = ((S[7] as number) + h) | 0;
}

/** One compression of the 16 words in W[0..15] into S. */
function compress(): void {
  schedule();
  rounds(W, 0);
}

function tails(): Int32Array {
  if (nodeTails) return nodeTails;
  const table = new Int32Array(256 * 64);
  for (let byte = 0; byte < 256; byte++) {
    W[0] = (byte << 24) | 0x800000;
    W.fill(0, 1, 15);
    W[15] = 65 * 8;
    schedule();
    table.set(W, byte * 64);
  }
  return (nodeTails = table);
}

function emit(out: Int32Array, at: number): void {
  for (let i = 0; i < 8; i++) out[at + i] = S[i] as number;
}

/** leaf = H(0x00 ‖ u64be(id) ‖ u32be(weight)), written as 8 big-endian words at out[at..at+8]. */
export function hashLeafWords(hi: number, lo: number, weight: number, out: Int32Array, at: number): void {
  S.set(IV);
  W[0] = hi >>> 8;
  W[1] = (hi << 24) | (lo >>> 8);
  W[2] = (lo << 24) | (weight >>> 8);
  W[3] = (weight << 24) | 0x800000;
  W.fill(0, 4, 15);
  W[15] = 13 * 8;
  compress();
  emit(out, at);
}

/** node = H(0x01 ‖ left ‖ right) for the 8-word hashes at words[l] and words[r], written to out[at..at+8]. */
export function hashNodeWords(words: Int32Array, l: number, r: number, out: Int32Array, at: number): void {
  const tail = tails();
  S.set(IV);
  // The 0x01 prefix shifts the 64 hash bytes one byte right across word boundaries.
  let prev = 0x01;
  for (let i = 0; i < 16; i++) {
    const word = words[i < 8 ? l + i : r + i - 8] as number;
    W[i] = (prev << 24) | (word >>> 8);
    prev = word & 0xff;
  }
  compress();
  rounds(tail, prev * 64);
  emit(out, at);
}

/** The 8 words at words[at..at+8] as lowercase hex. */
export function wordsToHex(words: Int32Array, at: number): string {
  let hex = '';
  for (let i = 0; i < 8; i++) hex += ((words[at + i] as number) >>> 0).toString(16).padStart(8, '0');
  return hex;
}
