// The entrant list of draw protocol v1 §2 as columns (ids as u32 halves, weights) in canonical order, and the
// Merkle root over it: leaf = H(0x00 ‖ u64be(id) ‖ u32be(w)), node = H(0x01 ‖ l ‖ r), an odd node moves up.
import { splitUserId, type JsonUserId } from './bytes.ts';
import { hashLeafWords, hashNodeWords, wordsToHex } from './sha256-words.ts';

/**
 * One entrant as served by `GET /api/v1/giveaways/:id/entrants`.
 *
 * @example
 * const entrants: EntrantInput[] = [{ user_id: 5, weight: 1 }, { user_id: '9007199254740993', weight: 2 }];
 */
export interface EntrantInput {
  readonly user_id: JsonUserId;
  readonly weight: number;
}

export interface EntrantColumns {
  readonly count: number;
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly weights: Uint32Array;
  readonly totalWeight: number;
  /** Hex Merkle root; 32 zero bytes for no entrants. */
  readonly root: string;
}

const MAX_WEIGHT = 0x7fffffff;
export const EMPTY_ROOT = '0'.repeat(64);

/** Validates entrants, puts them in canonical (ascending user_id) order and hashes the tree. Throws on bad input. */
export function entrantColumns(entrants: readonly EntrantInput[]): EntrantColumns {
  if (!Array.isArray(entrants)) throw new Error('entrants must be an array');
  const n = entrants.length;
  let hi: Uint32Array = new Uint32Array(n);
  let lo: Uint32Array = new Uint32Array(n);
  let weights: Uint32Array = new Uint32Array(n);
  let total = 0;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const e = entrants[i] as EntrantInput | null | undefined;
    const id = typeof e === 'object' && e !== null ? splitUserId(e.user_id) : null;
    if (!id || !e) throw new Error(`entrant #${i} has no valid user_id`);
    const w = e.weight;
    if (!Number.isInteger(w) || w < 1 || w > MAX_WEIGHT) {
      throw new Error(`entrant #${i} (user_id ${e.user_id}) has weight ${w}, not an integer in 1..2^31-1`);
    }
    hi[i] = id[0];
    lo[i] = id[1];
    weights[i] = w;
    total += w;
    if (i > 0 && sorted) sorted = compare(hi, lo, i - 1, i) < 0;
  }
  if (total > Number.MAX_SAFE_INTEGER) throw new Error('total weight must be below 2^53');
  if (!sorted) [hi, lo, weights] = sortColumns(hi, lo, weights);
  for (let i = 1; i < n; i++) {
    if (compare(hi, lo, i - 1, i) === 0) throw new Error(`user_id at position ${i} is listed twice`);
  }
  return { count: n, hi, lo, weights, totalWeight: total, root: merkleRoot(hi, lo, weights) };
}

function compare(hi: Uint32Array, lo: Uint32Array, a: number, b: number): number {
  return (hi[a] as number) - (hi[b] as number) || (lo[a] as number) - (lo[b] as number);
}

/** LSD radix sort of entrant indexes on four 16-bit digits of the id: O(n), no comparator calls. */
function sortColumns(
  hi: Uint32Array,
  lo: Uint32Array,
  w: Uint32Array,
): [Uint32Array, Uint32Array, Uint32Array] {
  const n = hi.length;
  let order = Uint32Array.from({ length: n }, (_, i) => i);
  let next = new Uint32Array(n);
  const digit = (pass: number, i: number) => {
    const word = (pass < 2 ? lo[i] : hi[i]) as number;
    return pass % 2 === 0 ? word & 0xffff : word >>> 16;
  };
  const counts = new Uint32Array(0x10000);
  for (let pass = 0; pass < 4; pass++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const d = digit(pass, i);
      counts[d] = (counts[d] as number) + 1;
    }
    // A digit every id shares (the high bits of every Telegram id) cannot reorder anything.
    if (counts[digit(pass, 0)] === n) continue;
    for (let d = 0, at = 0; d < 0x10000; d++) {
      const c = counts[d] as number;
      counts[d] = at;
      at += c;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k] as number;
      const d = digit(pass, i);
      next[counts[d] as number] = i;
      counts[d] = (counts[d] as number) + 1;
    }
    [order, next] = [next, order];
  }
  const pick = (col: Uint32Array) => order.map((i) => col[i] as number);
  return [pick(hi), pick(lo), pick(w)];
}

/** Builds the tree level by level in one buffer, each level overwriting the one below it. */
function merkleRoot(hi: Uint32Array, lo: Uint32Array, weights: Uint32Array): string {
  let size = hi.length;
  if (size === 0) return EMPTY_ROOT;
  const words = new Int32Array(size * 8);
  for (let i = 0; i < size; i++) {
    hashLeafWords(hi[i] as number, lo[i] as number, weights[i] as number, words, i * 8);
  }
  while (size > 1) {
    const pairs = size >>> 1;
    for (let p = 0; p < pairs; p++) hashNodeWords(words, p * 16, p * 16 + 8, words, p * 8);
    if (size & 1) words.copyWithin(pairs * 8, (size - 1) * 8, size * 8);
    size -= pairs;
  }
  return wordsToHex(words, 0);
}
