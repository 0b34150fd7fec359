// Fenwick tree against a plain linear scan: build, prefix sums, removal and weighted lookup.
import { describe, expect, it } from 'vitest';
import { FenwickTree } from '../../../server/draws/protocol/index.ts';

function linearFind(weights: number[], r: number): number {
  let running = 0;
  for (let i = 0; i < weights.length; i++) {
    running += weights[i] ?? 0;
    if (running > r) return i;
  }
  return -1;
}

describe('FenwickTree', () => {
  it('matches a linear scan through removals, for every r', () => {
    for (const n of [1, 2, 3, 7, 16, 33]) {
      const weights = Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 5));
      const tree = FenwickTree.fromWeights(weights);
      for (let step = 0; step < n; step++) {
        const total = weights.reduce((a, b) => a + b, 0);
        expect(tree.total).toBe(total);
        for (let i = 0; i <= n; i++) {
          expect(tree.prefixSum(i)).toBe(weights.slice(0, i).reduce((a, b) => a + b, 0));
        }
        for (let r = 0; r < total; r++) expect(tree.findFirstAbove(r)).toBe(linearFind(weights, r));
        const victim = (step * 5) % n;
        const index = weights[victim] ? victim : weights.findIndex((w) => w > 0);
        expect(tree.remove(index)).toBe(weights[index]);
        weights[index] = 0;
      }
      expect(tree.total).toBe(0);
    }
  });

  it('never finds a removed or zero-weight entrant', () => {
    const tree = FenwickTree.fromWeights([0, 3, 0, 2, 0]);
    expect([0, 1, 2, 3, 4].map((r) => tree.findFirstAbove(r))).toEqual([1, 1, 1, 3, 3]);
    expect(tree.remove(1)).toBe(3);
    expect(tree.remove(1)).toBe(0);
    expect([0, 1].map((r) => tree.findFirstAbove(r))).toEqual([3, 3]);
  });

  it('handles weights near 2^31 and totals near 2^53 exactly', () => {
    const big = 2 ** 31 - 1;
    const tree = FenwickTree.fromWeights([big, 1, big]);
    expect(tree.findFirstAbove(big - 1)).toBe(0);
    expect(tree.findFirstAbove(big)).toBe(1);
    expect(tree.findFirstAbove(big + 1)).toBe(2);
    const huge = FenwickTree.fromWeights([2 ** 52, 2 ** 52 - 2, 1]);
    expect(huge.total).toBe(2 ** 53 - 1);
    expect(huge.findFirstAbove(2 ** 53 - 2)).toBe(2);
    expect(huge.findFirstAbove(2 ** 52)).toBe(1);
  });

  it('rejects r outside [0, total) and bad weights', () => {
    const tree = FenwickTree.fromWeights([1, 2]);
    expect(() => tree.findFirstAbove(3)).toThrow();
    expect(() => tree.findFirstAbove(-1)).toThrow();
    expect(() => FenwickTree.fromWeights([1, -1])).toThrow();
    expect(() => FenwickTree.fromWeights([2 ** 53, 1])).toThrow();
    expect(() => FenwickTree.fromWeights([]).findFirstAbove(0)).toThrow();
  });
});
