// Freezing entrants at close (§2): validation, canonical user_id order, leaves and Merkle tree, kept columnar
// (typed arrays, ids as u32 halves) so a million entrants cost a few arrays rather than a million objects.
import { DrawProtocolError } from './errors.ts';
import { buildMerkleTree, hashLeaves, type MerkleTree } from './merkle.ts';
import { parseUserId, toJsonUserId, type JsonUserId, type UserIdInput } from './user-id.ts';

export interface EntrantInput {
  readonly user_id: UserIdInput;
  readonly weight: number;
}

export interface FrozenEntrants {
  readonly count: number;
  /** High and low 32 bits of each user_id, in canonical (ascending user_id) order. */
  readonly idHi: Uint32Array;
  readonly idLo: Uint32Array;
  readonly weights: Uint32Array;
  readonly totalWeight: number;
  readonly tree: MerkleTree;
  readonly root: Buffer;
}

export const MAX_WEIGHT = 0x7fffffff;
const TWO_POW_32 = 0x1_0000_0000;

/** Entrants as three parallel columns (ids split into u32 halves), the shape the hot paths share. */
export interface EntrantColumns {
  readonly idHi: Uint32Array;
  readonly idLo: Uint32Array;
  readonly weights: Uint32Array;
}

/** Columns in canonical order, validated, with their total weight. */
export interface CanonicalColumns extends EntrantColumns {
  readonly totalWeight: number;
}

/**
 * Validates entrants (1 ≤ weight ≤ 2^31−1, 1 ≤ user_id < 2^63, unique ids, Σw < 2^53), puts them in canonical
 * order and builds the Merkle tree. Input order does not matter. Throws DrawProtocolError('INVALID_ENTRANTS').
 */
export function freezeEntrants(entrants: readonly EntrantInput[]): FrozenEntrants {
  if (!Array.isArray(entrants)) throw bad('entrants must be an array');
  const canonical = canonicalColumns(columnsOf(entrants), true);
  const tree = buildMerkleTree(hashLeaves(canonical.idHi, canonical.idLo, canonical.weights));
  return frozenFromColumns(canonical, tree);
}

// The hot loops of a freeze are small functions of their own: V8 compiles each once, instead of recompiling a
// large function on-stack loop after loop (each new loop deoptimises it for lack of type feedback).

/** Validated input columns from entrant objects, in input order. */
function columnsOf(entrants: readonly EntrantInput[]): EntrantColumns {
  const n = entrants.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const w = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const e = entrants[i] as EntrantInput | null | undefined;
    if (typeof e !== 'object' || e === null) throw bad(`entrant #${i} is not an object`);
    const id = e.user_id;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 1) {
      // Fast path without BigInt: safe integers split exactly into u32 halves.
      hi[i] = Math.floor(id / TWO_POW_32);
      lo[i] = id >>> 0;
    } else {
      let big: bigint;
      try {
        big = parseUserId(id);
      } catch (err) {
        throw bad(`entrant #${i}: ${(err as Error).message}`);
      }
      hi[i] = Number(big >> 32n);
      lo[i] = Number(big & 0xffffffffn);
    }
    const weight = e.weight;
    if (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
      throw bad(
        `entrant #${i} (user_id ${String(id)}): weight must be an integer in 1..2^31-1, got ${weight}`,
      );
    }
    w[i] = weight;
  }
  return { idHi: hi, idLo: lo, weights: w };
}

/**
 * Validates columns (e.g. read straight from the database) and puts them in canonical order: in place when
 * already ascending, else sorted into new arrays. `scratch` lets the sort reuse the input id columns.
 */
export function canonicalColumns(columns: EntrantColumns, scratch = false): CanonicalColumns {
  const { idHi, idLo, weights } = columns;
  const n = weights.length;
  if (idHi.length !== n || idLo.length !== n) throw bad('entrant columns differ in length');
  const total = validatedTotal(idHi, idLo, weights);
  const [sHi, sLo, sW] = sortColumns(idHi, idLo, weights, scratch);
  const dup = firstDuplicate(sHi, sLo);
  if (dup >= 0) throw bad(`duplicate user_id ${joinId(sHi[dup] as number, sLo[dup] as number).toString()}`);
  return { idHi: sHi, idLo: sLo, weights: sW, totalWeight: total };
}

/** Checks ids and weights, and returns Σw (< 2^53). */
function validatedTotal(idHi: Uint32Array, idLo: Uint32Array, weights: Uint32Array): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const h = idHi[i] as number;
    const w = weights[i] as number;
    if (h >= 0x8000_0000 || (h === 0 && idLo[i] === 0)) {
      throw bad(`entrant #${i}: user_id must be an integer with 1 ≤ id < 2^63`);
    }
    if (w < 1 || w > MAX_WEIGHT) throw bad(`entrant #${i}: weight must be an integer in 1..2^31-1, got ${w}`);
    // Exact while below 2^53, and the sum only grows, so checking once at the end is enough.
    total += w;
  }
  if (total >= Number.MAX_SAFE_INTEGER + 1) throw bad('total weight must be below 2^53');
  return total;
}

/** Index of the first id equal to the one before it in sorted columns (the smallest duplicate), or −1. */
function firstDuplicate(hi: Uint32Array, lo: Uint32Array): number {
  for (let i = 1; i < hi.length; i++) {
    if (hi[i] === hi[i - 1] && lo[i] === lo[i - 1]) return i;
  }
  return -1;
}

/** Assembles frozen entrants from canonical columns and the Merkle tree over their leaves (built anywhere). */
export function frozenFromColumns(columns: CanonicalColumns, tree: MerkleTree): FrozenEntrants {
  if (tree.count !== columns.weights.length) throw bad('tree and columns differ in size');
  return {
    count: tree.count,
    idHi: columns.idHi,
    idLo: columns.idLo,
    weights: columns.weights,
    totalWeight: columns.totalWeight,
    tree,
    root: tree.root,
  };
}

export function entrantUserId(entrants: FrozenEntrants, index: number): bigint {
  const h = entrants.idHi[index];
  const l = entrants.idLo[index];
  if (h === undefined || l === undefined) {
    throw new DrawProtocolError('INVALID_ARGUMENT', `entrant index ${index} is out of range`);
  }
  return joinId(h, l);
}

/** Index of user_id in canonical order, or −1 (binary search). */
export function findEntrantIndex(entrants: FrozenEntrants, userId: UserIdInput): number {
  const id = parseUserId(userId);
  const h = Number(id >> 32n);
  const l = Number(id & 0xffffffffn);
  let low = 0;
  let high = entrants.count - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const mh = entrants.idHi[mid] as number;
    const ml = entrants.idLo[mid] as number;
    if (mh === h && ml === l) return mid;
    if (mh < h || (mh === h && ml < l)) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** The canonical entrant list served beside the proof bundle. */
export function canonicalEntrantList(entrants: FrozenEntrants): { user_id: JsonUserId; weight: number }[] {
  const out = new Array<{ user_id: JsonUserId; weight: number }>(entrants.count);
  for (let i = 0; i < entrants.count; i++) {
    out[i] = { user_id: toJsonUserId(entrantUserId(entrants, i)), weight: entrants.weights[i] as number };
  }
  return out;
}

function joinId(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * Sorts the columns into ascending (hi, lo) order, in place when already ascending (the usual case: entrants come
 * from an ORDER BY), else with radixSort.
 */
function sortColumns(
  hi: Uint32Array,
  lo: Uint32Array,
  w: Uint32Array,
  mayOverwrite: boolean,
): [Uint32Array, Uint32Array, Uint32Array] {
  const n = hi.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) {
    const ph = hi[i - 1] as number;
    const ch = hi[i] as number;
    sorted = ph < ch || (ph === ch && (lo[i - 1] as number) <= (lo[i] as number));
  }
  if (sorted) return [hi, lo, w];
  return radixSort(hi, lo, w, mayOverwrite);
}

const RADIX = 0x10000;

/**
 * LSD radix sort on four 16-bit digits that carries ids and weights along, so every pass reads sequentially: O(n),
 * no comparator calls, no BigInt. Each loop is its own small function: V8 then optimises it once and reuses it for
 * every pass, instead of recompiling one large function (on-stack) as each new loop is reached without feedback.
 */
function radixSort(
  hi: Uint32Array,
  lo: Uint32Array,
  w: Uint32Array,
  mayOverwrite: boolean,
): [Uint32Array, Uint32Array, Uint32Array] {
  if (!mayOverwrite) return radixSort(Uint32Array.from(hi), Uint32Array.from(lo), Uint32Array.from(w), true);
  const n = hi.length;
  const counts = digitHistograms(hi, lo);
  let src: [Uint32Array, Uint32Array, Uint32Array] = [hi, lo, w];
  // The input columns are the caller's scratch (mayOverwrite), so the passes use them as buffers.
  let dst: [Uint32Array, Uint32Array, Uint32Array] | undefined;
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? src[1] : src[0];
    const shift = (pass & 1) * 16;
    const base = pass * RADIX;
    // A digit shared by everyone (e.g. the top bits of every Telegram id) cannot reorder anything.
    if (counts[base + (((key[0] as number) >>> shift) & 0xffff)] === n) continue;
    dst ??= [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
    startOffsets(counts, base);
    scatter(key, shift, counts, base, src, dst);
    [src, dst] = [dst, src];
  }
  return src;
}

/** One histogram per digit (four of RADIX counts), from a single read of the data. */
function digitHistograms(hi: Uint32Array, lo: Uint32Array): Uint32Array {
  const counts = new Uint32Array(4 * RADIX);
  for (let i = 0; i < hi.length; i++) {
    const l = lo[i] as number;
    const h = hi[i] as number;
    bump(counts, l & 0xffff);
    bump(counts, RADIX + (l >>> 16));
    bump(counts, 2 * RADIX + (h & 0xffff));
    bump(counts, 3 * RADIX + (h >>> 16));
  }
  return counts;
}

/** Turns one digit's counts into the first output position of each digit value. */
function startOffsets(counts: Uint32Array, base: number): void {
  let at = 0;
  for (let d = 0; d < RADIX; d++) {
    const c = counts[base + d] as number;
    counts[base + d] = at;
    at += c;
  }
}

/** One stable pass: entrant i goes to the next free position of its digit ((key >>> shift) & 0xffff). */
function scatter(
  key: Uint32Array,
  shift: number,
  counts: Uint32Array,
  base: number,
  [srcHi, srcLo, srcW]: readonly [Uint32Array, Uint32Array, Uint32Array],
  [dstHi, dstLo, dstW]: readonly [Uint32Array, Uint32Array, Uint32Array],
): void {
  for (let i = 0; i < key.length; i++) {
    const slot = base + (((key[i] as number) >>> shift) & 0xffff);
    const to = counts[slot] as number;
    counts[slot] = to + 1;
    dstHi[to] = srcHi[i] as number;
    dstLo[to] = srcLo[i] as number;
    dstW[to] = srcW[i] as number;
  }
}

function bump(counts: Uint32Array, at: number): void {
  counts[at] = (counts[at] as number) + 1;
}

function bad(message: string): DrawProtocolError {
  return new DrawProtocolError('INVALID_ENTRANTS', message);
}
