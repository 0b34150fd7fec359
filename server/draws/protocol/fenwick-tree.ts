// Fenwick (binary indexed) tree over entrant weights: O(n) build, O(log n) removal and "first index whose
// running total exceeds r". Sums live in a Float64Array but are integers below 2^53 (Σw < 2^53 is enforced),
// where every add, subtract and compare is exact, so no rounding can ever enter selection.
import { DrawProtocolError } from './errors.ts';

export class FenwickTree {
  private readonly tree: Float64Array;
  private readonly weights: Float64Array;
  private readonly topStep: number;
  private sum: number;

  private constructor(weights: Float64Array, tree: Float64Array, sum: number) {
    this.weights = weights;
    this.tree = tree;
    this.sum = sum;
    let step = 1;
    while (step * 2 <= weights.length) step *= 2;
    this.topStep = weights.length === 0 ? 0 : step;
  }

  /** Linear-time build: each node passes its partial sum to its parent once. */
  static fromWeights(weights: ArrayLike<number>): FenwickTree {
    const n = weights.length;
    const own = new Float64Array(n);
    const tree = new Float64Array(n + 1);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (!Number.isSafeInteger(w) || w < 0) {
        throw new DrawProtocolError('INVALID_ARGUMENT', `weight #${i} must be a non-negative integer`);
      }
      own[i] = w;
      tree[i + 1] = w;
      sum += w;
    }
    if (sum > Number.MAX_SAFE_INTEGER) throw new DrawProtocolError('INVALID_ARGUMENT', 'total weight ≥ 2^53');
    for (let i = 1; i <= n; i++) {
      const parent = i + (i & -i);
      if (parent <= n) tree[parent] = (tree[parent] as number) + (tree[i] as number);
    }
    return new FenwickTree(own, tree, sum);
  }

  get size(): number {
    return this.weights.length;
  }

  get total(): number {
    return this.sum;
  }

  weightAt(index: number): number {
    this.check(index);
    return this.weights[index] as number;
  }

  /** Sum of weights at indexes [0, end). */
  prefixSum(end: number): number {
    if (!Number.isInteger(end) || end < 0 || end > this.size) {
      throw new DrawProtocolError('INVALID_ARGUMENT', `prefix end ${end} is out of range`);
    }
    let s = 0;
    for (let i = end; i > 0; i -= i & -i) s += this.tree[i] as number;
    return s;
  }

  /** Sets an entrant's weight to zero and returns what it was; a zero-weight entrant can never be found. */
  remove(index: number): number {
    this.check(index);
    const w = this.weights[index] as number;
    if (w === 0) return 0;
    this.weights[index] = 0;
    for (let i = index + 1; i <= this.size; i += i & -i) this.tree[i] = (this.tree[i] as number) - w;
    this.sum -= w;
    return w;
  }

  /** The first index, in order, whose running total of weights exceeds r (0 ≤ r < total). */
  findFirstAbove(r: number): number {
    if (!Number.isSafeInteger(r) || r < 0 || r >= this.sum) {
      throw new DrawProtocolError('INVALID_ARGUMENT', `r must be an integer in [0, ${this.sum}), got ${r}`);
    }
    let pos = 0;
    let rest = r;
    for (let step = this.topStep; step > 0; step >>>= 1) {
      const next = pos + step;
      if (next <= this.size) {
        const s = this.tree[next] as number;
        if (s <= rest) {
          pos = next;
          rest -= s;
        }
      }
    }
    return pos;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new DrawProtocolError('INVALID_ARGUMENT', `index ${index} is out of range`);
    }
  }
}
