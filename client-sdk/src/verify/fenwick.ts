// Remaining weights for selection without replacement (§4): O(n) build, O(log n) removal and "first entrant
// whose running total exceeds r". Sums stay integers below 2^53, so Float64 arithmetic is exact.

export class WeightTree {
  private readonly tree: Float64Array;
  private readonly own: Float64Array;
  private readonly top: number;
  total = 0;

  constructor(weights: Uint32Array) {
    const n = weights.length;
    this.own = Float64Array.from(weights);
    this.tree = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) {
      const w = this.own[i - 1] as number;
      this.total += w;
      this.tree[i] = (this.tree[i] as number) + w;
      const parent = i + (i & -i);
      if (parent <= n) this.tree[parent] = (this.tree[parent] as number) + (this.tree[i] as number);
    }
    let top = 1;
    while (top * 2 <= n) top *= 2;
    this.top = n === 0 ? 0 : top;
  }

  /** The first index whose running total of remaining weights exceeds r (0 ≤ r < total). */
  find(r: number): number {
    let pos = 0;
    for (let step = this.top; step > 0; step >>>= 1) {
      const next = pos + step;
      if (next < this.tree.length && (this.tree[next] as number) <= r) {
        pos = next;
        r -= this.tree[next] as number;
      }
    }
    return pos;
  }

  remove(index: number): void {
    const w = this.own[index] as number;
    this.own[index] = 0;
    this.total -= w;
    for (let i = index + 1; i < this.tree.length; i += i & -i) this.tree[i] = (this.tree[i] as number) - w;
  }
}
