// Selection (§4) against a naive reference, edge sizes, exclusions, and rerolls that continue the stream.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DrawSelector,
  RandomStream,
  deriveSeed,
  freezeEntrants,
  nextInt,
  selectWinners,
  type EntrantInput,
} from '../../../server/draws/protocol/index.ts';
import { SERVER_SEED, VECTOR_A, ids } from './fixtures.ts';

/** §4 written as plainly as possible: linear scan over a list, no Fenwick tree. */
function reference(
  list: EntrantInput[],
  seed: Buffer,
  winnersCount: number,
  reservesCount: number,
  exclusions: number[] = [],
): { winners: number[]; reserves: number[] } {
  const remaining = [...list].sort((a, b) => Number(a.user_id) - Number(b.user_id));
  const stream = new RandomStream(seed);
  const winners: number[] = [];
  const reserves: number[] = [];
  while ((winners.length < winnersCount || reserves.length < reservesCount) && remaining.length > 0) {
    const total = remaining.reduce((s, e) => s + e.weight, 0);
    const r = nextInt(stream, total);
    let running = 0;
    const at = remaining.findIndex((e) => (running += e.weight) > r);
    const [pick] = remaining.splice(at, 1);
    const id = Number(pick?.user_id);
    if (exclusions.includes(id)) continue;
    if (winners.length < winnersCount) winners.push(id);
    else reserves.push(id);
  }
  return { winners, reserves };
}

const seedFor = (label: string): Buffer => createHash('sha256').update(label).digest();

describe('selectWinners', () => {
  it('agrees with the naive reference on many random draws', () => {
    for (let k = 0; k < 40; k++) {
      const n = 1 + ((k * 37) % 60);
      const list = Array.from({ length: n }, (_, i) => ({
        user_id: 1 + i * (k + 2),
        weight: 1 + ((i * k) % 9),
      }));
      const exclusions = list.filter((_, i) => i % 7 === k % 7).map((e) => e.user_id);
      const seed = seedFor(`case-${k}`);
      const result = selectWinners({
        entrants: freezeEntrants(list),
        seed,
        winnersCount: k % 11,
        reservesCount: k % 4,
        exclusions,
      });
      const expected = reference(list, seed, k % 11, k % 4, exclusions);
      expect({ winners: ids(result.winners), reserves: ids(result.reserves) }).toEqual(expected);
    }
  });

  it('draws nobody from zero entrants', () => {
    const entrants = freezeEntrants([]);
    const seed = deriveSeed({ serverSeed: SERVER_SEED, giveawayId: 'empty', entrantsRoot: entrants.root });
    expect(selectWinners({ entrants, seed, winnersCount: 3, reservesCount: 2 })).toEqual({
      winners: [],
      reserves: [],
      excludedPicks: [],
    });
  });

  it('with fewer entrants than winners, everyone wins and there are no reserves', () => {
    const entrants = freezeEntrants([
      { user_id: 1, weight: 5 },
      { user_id: 2, weight: 1 },
      { user_id: 3, weight: 2 },
    ]);
    const result = selectWinners({ entrants, seed: seedFor('few'), winnersCount: 5, reservesCount: 2 });
    expect([...ids(result.winners)].sort()).toEqual([1, 2, 3]);
    expect(result.reserves).toEqual([]);
  });

  it('fills winners before reserves when entrants run out among reserves', () => {
    const entrants = freezeEntrants([1, 2, 3, 4].map((user_id) => ({ user_id, weight: 1 })));
    const result = selectWinners({ entrants, seed: seedFor('short'), winnersCount: 2, reservesCount: 5 });
    expect(result.winners).toHaveLength(2);
    expect(result.reserves).toHaveLength(2);
  });

  it('rejects exclusions that are not entrants or are listed twice', () => {
    const entrants = freezeEntrants([{ user_id: 1, weight: 1 }]);
    const seed = seedFor('x');
    for (const exclusions of [[2], [1, '1'], ['abc']]) {
      expect(() => new DrawSelector({ entrants, seed, exclusions })).toThrow(
        expect.objectContaining({ code: 'INVALID_EXCLUSIONS' }),
      );
    }
  });

  it('rejects bad counts and a second initial draw', () => {
    const selector = new DrawSelector({
      entrants: freezeEntrants([{ user_id: 1, weight: 1 }]),
      seed: seedFor('y'),
    });
    expect(() => selector.draw(-1, 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    selector.draw(1, 0);
    expect(() => selector.draw(1, 0)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});

describe('rerolls', () => {
  const entrants = freezeEntrants(VECTOR_A.entrants);
  const seed = Buffer.from(VECTOR_A.seed, 'hex');

  it('use the first unused reserve, then continue the same stream', () => {
    const selector = new DrawSelector({ entrants, seed });
    selector.draw(10, 5);
    const outcomes = [3, 1, 3, 10, 5].map((place) => selector.reroll(place));
    expect(outcomes.map((o) => Number(o.byUserId))).toEqual(VECTOR_A.reserves);
    expect(outcomes.every((o) => o.from === 'reserve')).toBe(true);
    expect(outcomes.map((o) => Number(o.replacedUserId))).toEqual([1149, 1023, 1671, 1965, 1215]);
    expect(selector.unusedReserves).toEqual([]);

    // Pick order does not depend on exclusions, so vector A's exclusion run reveals picks 16 and 17.
    const next = [selector.reroll(2), selector.reroll(2)];
    expect(next.map((o) => [o.from, Number(o.byUserId)])).toEqual([
      ['stream', 1941],
      ['stream', 1922],
    ]);
    expect(Number(next[1]?.replacedUserId)).toBe(1941);
    expect(ids(selector.winners)).toEqual([1299, 1922, 1630, 1386, 1426, 1923, 1778, 1830, 1020, 1659]);
  });

  it('continuing the stream equals one longer draw', () => {
    const rerolled = new DrawSelector({ entrants, seed });
    rerolled.draw(10, 5);
    const extra = Array.from({ length: 12 }, (_, i) => rerolled.reroll(1 + (i % 10)).byUserId);
    const longer = selectWinners({ entrants, seed, winnersCount: 10, reservesCount: 17 });
    expect(extra).toEqual(longer.reserves.slice(0, 12));
  });

  it('skip excluded entrants while continuing', () => {
    const plain = selectWinners({ entrants, seed, winnersCount: 10, reservesCount: 7 });
    const later = plain.reserves[6] as bigint;
    const selector = new DrawSelector({ entrants, seed, exclusions: [later] });
    selector.draw(10, 5);
    // Reserves cover five rerolls, the stream's pick 16 the sixth; the seventh meets the exclusion and skips it.
    for (let i = 0; i < 7; i++) selector.reroll(1);
    expect(selector.winners[0]).toBe(
      selectWinners({ entrants, seed, winnersCount: 10, reservesCount: 7, exclusions: [later] }).reserves[6],
    );
    expect(selector.excludedPicks).toEqual([later]);
  });

  it('fail cleanly when nobody is left', () => {
    const small = freezeEntrants([
      { user_id: 1, weight: 1 },
      { user_id: 2, weight: 1 },
      { user_id: 3, weight: 1 },
    ]);
    const selector = new DrawSelector({ entrants: small, seed: seedFor('small') });
    selector.draw(2, 1);
    selector.reroll(1);
    const before = selector.winners;
    expect(() => selector.reroll(2)).toThrow(expect.objectContaining({ code: 'NO_ENTRANTS_LEFT' }));
    expect(selector.winners).toEqual(before);
    expect(() => selector.reroll(0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => selector.reroll(3)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new DrawSelector({ entrants: small, seed: seedFor('small') }).reroll(1)).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
  });
});
