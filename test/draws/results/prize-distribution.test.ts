import { describe, expect, it } from 'vitest';
import {
  distributePrizes,
  type DistributablePrize,
} from '../../../server/draws/results/prize-distribution.ts';

let nextId = 1;
const prize = (
  title: string,
  quantity: number,
  place: number | null = null,
  position = nextId,
): DistributablePrize => ({
  id: nextId++,
  position,
  place,
  title,
  description: '',
  quantity,
});

/** Each winner's awards as "title×qty" strings, for compact expectations. */
const show = (prizes: DistributablePrize[], n: number) =>
  distributePrizes(prizes, n).map((awards) => awards.map((a) => `${a.prize.title}×${a.quantity}`));

describe('prize distribution (legacy §5.3)', () => {
  it('spreads loose prizes from a running offset: n=3, A×1, B×2 → A→w1; B→w2,w3', () => {
    expect(show([prize('A', 1, null, 0), prize('B', 2, null, 1)], 3)).toEqual([['A×1'], ['B×1'], ['B×1']]);
  });

  it('gives every winner the base share and the first `rem` from the offset one more', () => {
    // A×2 → w1,w2 (offset 2); B×7 over 3 = base 2, rem 1 → w3 gets the extra unit.
    expect(show([prize('A', 2, null, 0), prize('B', 7, null, 1)], 3)).toEqual([
      ['A×1', 'B×2'],
      ['A×1', 'B×2'],
      ['B×3'],
    ]);
  });

  it('gives a fixed prize one unit to its place and spreads the rest after the loose prizes', () => {
    // Gold×3 at place 2: w2 gets 1; the loose pool is [Loose×1, Gold×2]: Loose → w1 (offset 0→1), Gold → w2, w3.
    expect(show([prize('Gold', 3, 2, 0), prize('Loose', 1, null, 1)], 3)).toEqual([
      ['Loose×1'],
      ['Gold×2'],
      ['Gold×1'],
    ]);
  });

  it('orders by position, not by the order given', () => {
    expect(show([prize('B', 2, null, 1), prize('A', 1, null, 0)], 3)).toEqual([['A×1'], ['B×1'], ['B×1']]);
  });

  it('awards nothing for a fixed place beyond the winners, and nothing at all with no winners', () => {
    expect(show([prize('Third', 5, 3, 0)], 2)).toEqual([[], []]);
    expect(distributePrizes([prize('A', 1)], 0)).toEqual([]);
  });
});
