// Weighted "first index whose running total exceeds r" with removals, for draw protocol §4: a Fenwick (binary
// indexed) tree over blocks of entrants, and a scan inside the block found. Sums are integers below 2^53
// (Σw < 2^53 is enforced) held in doubles, where every add, subtract and compare is exact, so no rounding can
// ever enter selection.
//
// Why blocks: a draw picks a few hundred entrants out of up to millions. A tree with a node per entrant (plus a
// mutable copy of the weights) is 16 MB of fresh memory for 1M entrants, and on our VMs first touching fresh
// pages costs ~3 ms per MB: ~50 ms per tree, built twice per draw (pick walk and proof bundle). Over blocks
// of 1,024 the tree is 8 KB, the weights are read in place, removals are a small set, and a lookup scans at
// most one block (~1 µs).
import { DrawProtocolError } from './errors.ts';

const DEFAULT_BLOCK = 1024;

export class FenwickTree {
  private readonly removed = new Set<number>();
  private readonly topStep: number;

  private constructor(
    /** Never written: the caller's Uint32Array, or a checked copy of another array. */
    private readonly weights: ArrayLike<number>,
    private readonly block: number,
    /** Fenwick tree (1-based) over the blocks' weight sums. */
    private readonly tree: Float64Array,
    private sum: number,
  ) {
    const blocks = tree.length - 1;
    let step = 1;
    while (step * 2 <= blocks) step *= 2;
    this.topStep = blocks === 0 ? 0 : step;
  }

  /**
   * Linear-time build. A Uint32Array (the frozen list's weight column) is used as it is, so it must not change
   * while the tree lives; any other array is checked and copied. `blockSize` is for tests.
   */
  static fromWeights(weights: ArrayLike<number>, blockSize = DEFAULT_BLOCK): FenwickTree {
    if (!Number.isInteger(blockSize) || blockSize < 1)
      throw new Error('blockSize must be a positive integer');
    const own = weights instanceof Uint32Array ? weights : checkedCopy(weights);
    const tree = blockSums(own, blockSize);
    const sum = sumOf(tree);
    if (sum > Number.MAX_SAFE_INTEGER) throw new DrawProtocolError('INVALID_ARGUMENT', 'total weight ≥ 2^53');
    passSumsToParents(tree);
    return new FenwickTree(own, blockSize, tree, sum);
  }

  get size(): number {
    return this.weights.length;
  }

  get total(): number {
    return this.sum;
  }

  weightAt(index: number): number {
    this.check(index);
    return this.weightOf(index);
  }

  /** Sum of weights at indexes [0, end). */
  prefixSum(end: number): number {
    if (!Number.isInteger(end) || end < 0 || end > this.size) {
      throw new DrawProtocolError('INVALID_ARGUMENT', `prefix end ${end} is out of range`);
    }
    const b = Math.floor(end / this.block);
    let s = 0;
    for (let i = b; i > 0; i -= i & -i) s += this.tree[i] as number;
    for (let i = b * this.block; i < end; i++) s += this.weightOf(i);
    return s;
  }

  /** Sets an entrant's weight to zero and returns what it was; a zero-weight entrant can never be found. */
  remove(index: number): number {
    this.check(index);
    const w = this.weightOf(index);
    if (w === 0) return 0;
    this.removed.add(index);
    const blocks = this.tree.length - 1;
    for (let i = Math.floor(index / this.block) + 1; i <= blocks; i += i & -i) {
      this.tree[i] = (this.tree[i] as number) - w;
    }
    this.sum -= w;
    return w;
  }

  /** The first index, in order, whose running total of weights exceeds r (0 ≤ r < total). */
  findFirstAbove(r: number): number {
    if (!Number.isSafeInteger(r) || r < 0 || r >= this.sum) {
      throw new DrawProtocolError('INVALID_ARGUMENT', `r must be an integer in [0, ${this.sum}), got ${r}`);
    }
    // The block: after the descent, blocks [0, pos) sum to ≤ r and block pos takes the total past it.
    const blocks = this.tree.length - 1;
    let pos = 0;
    let rest = r;
    for (let step = this.topStep; step > 0; step >>>= 1) {
      const next = pos + step;
      if (next <= blocks) {
        const s = this.tree[next] as number;
        if (s <= rest) {
          pos = next;
          rest -= s;
        }
      }
    }
    const end = Math.min(this.size, (pos + 1) * this.block);
    for (let i = pos * this.block; i < end; i++) {
      const w = this.weightOf(i);
      if (rest < w) return i;
      rest -= w;
    }
    throw new Error('FenwickTree: block sums and weights disagree'); // Unreachable while r < total.
  }

  private weightOf(index: number): number {
    return this.removed.has(index) ? 0 : (this.weights[index] as number);
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new DrawProtocolError('INVALID_ARGUMENT', `index ${index} is out of range`);
    }
  }
}

// The build's loops are small functions of their own: each runs once per draw, cold, and V8 optimises a small
// function's loop sooner than one of several loops in a large one.

function checkedCopy(weights: ArrayLike<number>): Float64Array {
  const own = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new DrawProtocolError('INVALID_ARGUMENT', `weight #${i} must be a non-negative integer`);
    }
    own[i] = w;
  }
  return own;
}

/** tree[b + 1] = the sum of block b's weights; tree[0] unused. */
function blockSums(weights: ArrayLike<number>, block: number): Float64Array {
  const blocks = Math.ceil(weights.length / block);
  const tree = new Float64Array(blocks + 1);
  for (let b = 0; b < blocks; b++)
    tree[b + 1] = sumRange(weights, b * block, Math.min(weights.length, (b + 1) * block));
  return tree;
}

function sumRange(weights: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += weights[i] as number;
  return s;
}

/** Exact while the running total stays below 2^53; beyond it the caller's check fails anyway. */
function sumOf(tree: Float64Array): number {
  let sum = 0;
  for (let i = 1; i < tree.length; i++) sum += tree[i] as number;
  return sum;
}

/** tree[1..n] holds the block sums on entry and the Fenwick partial sums on return. */
function passSumsToParents(tree: Float64Array): void {
  const n = tree.length - 1;
  for (let i = 1; i <= n; i++) {
    const parent = i + (i & -i);
    if (parent <= n) tree[parent] = (tree[parent] as number) + (tree[i] as number);
  }
}
