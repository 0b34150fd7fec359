// Fenwick tree against a plain linear scan: build, prefix sums, removal and weighted lookup.
import fc from 'fast-check';
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
  it('matches a linear scan through removals, for every r and block size', () => {
    for (const [n, block] of [1, 2, 3, 7, 16, 33].flatMap((n) =>
      [1, 2, 3, 4, 1024].map((b) => [n, b] as const),
    )) {
      const weights = Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 5));
      const tree = FenwickTree.fromWeights(Uint32Array.from(weights), block);
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

  it('agrees with a linear scan for any weights, block size and removals (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
          minLength: 1,
          maxLength: 20,
        }),
        (raw, block, removals, probes) => {
          const weights = [...raw];
          const tree = FenwickTree.fromWeights(Uint32Array.from(raw), block);
          for (const k of removals) {
            const index = k % weights.length;
            expect(tree.remove(index)).toBe(weights[index]);
            weights[index] = 0;
          }
          const total = weights.reduce((a, b) => a + b, 0);
          expect(tree.total).toBe(total);
          const cut = removals.length % (weights.length + 1);
          expect(tree.prefixSum(cut)).toBe(weights.slice(0, cut).reduce((a, b) => a + b, 0));
          if (total === 0) return;
          for (const p of [0, total - 1, ...probes.map((q) => Math.floor(q * total))]) {
            expect(tree.findFirstAbove(p)).toBe(linearFind(weights, p));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads a Uint32Array in place and never writes to it', () => {
    const weights = Uint32Array.from([5, 0, 7, 1]);
    const tree = FenwickTree.fromWeights(weights, 2);
    tree.remove(2);
    expect([...weights]).toEqual([5, 0, 7, 1]);
    expect(tree.weightAt(2)).toBe(0);
    expect(tree.findFirstAbove(5)).toBe(3);
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
