// Freezing entrants: validation errors, canonical order (including the radix path and ids above 2^53).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DrawProtocolError,
  canonicalColumns,
  canonicalEntrantList,
  entrantUserId,
  findEntrantIndex,
  freezeEntrants,
  type EntrantInput,
} from '../../../server/draws/protocol/index.ts';

function expectInvalid(list: unknown, message?: RegExp): void {
  let caught: unknown;
  try {
    freezeEntrants(list as EntrantInput[]);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DrawProtocolError);
  expect(caught).toMatchObject({ name: 'DrawProtocolError', code: 'INVALID_ENTRANTS' });
  if (message) expect((caught as Error).message).toMatch(message);
}

describe('freezeEntrants validation', () => {
  it('rejects duplicate ids, however they are written', () => {
    expectInvalid(
      [
        { user_id: 5, weight: 1 },
        { user_id: 6, weight: 1 },
        { user_id: 5, weight: 2 },
      ],
      /duplicate user_id 5/,
    );
    expectInvalid([
      { user_id: 5, weight: 1 },
      { user_id: '5', weight: 1 },
    ]);
    expectInvalid([
      { user_id: 2n ** 60n, weight: 1 },
      { user_id: String(2n ** 60n), weight: 1 },
    ]);
  });

  it('rejects weights outside 1..2^31-1', () => {
    expectInvalid([{ user_id: 1, weight: 0 }], /weight/);
    expectInvalid([{ user_id: 1, weight: 2 ** 31 }], /weight/);
    expectInvalid([{ user_id: 1, weight: -1 }]);
    expectInvalid([{ user_id: 1, weight: 1.5 }]);
    expectInvalid([{ user_id: 1, weight: Number.NaN }]);
    expectInvalid([{ user_id: 1, weight: '1' }]);
    expect(freezeEntrants([{ user_id: 1, weight: 2 ** 31 - 1 }]).totalWeight).toBe(2 ** 31 - 1);
  });

  it('rejects user ids outside 1..2^63-1 and numbers that may have been rounded', () => {
    for (const user_id of [
      0,
      -1,
      0n,
      2n ** 63n,
      '9223372036854775808',
      '',
      '1e3',
      ' 1',
      1.5,
      2 ** 53,
      null,
      {},
    ]) {
      expectInvalid([{ user_id, weight: 1 }]);
    }
    expect(freezeEntrants([{ user_id: '9223372036854775807', weight: 1 }]).count).toBe(1);
  });

  it('rejects a total weight of 2^53 or more', () => {
    // The weight sum is checked before ids, so one repeated entrant reaches 2^53 cheaply.
    const heavy = new Array<EntrantInput>(4_194_305).fill({ user_id: 1, weight: 2 ** 31 - 1 });
    expectInvalid(heavy, /2\^53/);
  });

  it('rejects non-arrays and non-objects', () => {
    expectInvalid(null);
    expectInvalid([null]);
    expectInvalid([1]);
  });
});

describe('canonical order', () => {
  it('sorts by user_id ascending, ids above 2^53 included', () => {
    const big = 2n ** 62n + 3n;
    const frozen = freezeEntrants([
      { user_id: String(big), weight: 4 },
      { user_id: 7, weight: 1 },
      { user_id: 2n ** 32n, weight: 2 },
      { user_id: 4294967295, weight: 3 },
    ]);
    expect(canonicalEntrantList(frozen)).toEqual([
      { user_id: 7, weight: 1 },
      { user_id: 4294967295, weight: 3 },
      { user_id: 4294967296, weight: 2 },
      { user_id: big.toString(), weight: 4 },
    ]);
    expect(findEntrantIndex(frozen, big)).toBe(3);
    expect(findEntrantIndex(frozen, '4294967296')).toBe(2);
    expect(findEntrantIndex(frozen, 8)).toBe(-1);
    expect(entrantUserId(frozen, 3)).toBe(big);
  });

  it('agrees with a BigInt sort on random 63-bit ids (every radix digit in play)', () => {
    let state = 0x2545f4914f6cdd1dn;
    const next = (): bigint => {
      state = (state * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      return state >> 1n;
    };
    const list: EntrantInput[] = [];
    const seen = new Set<bigint>();
    while (list.length < 5000) {
      const id = next() >> BigInt(list.length % 40);
      if (id === 0n || seen.has(id)) continue;
      seen.add(id);
      list.push({ user_id: id, weight: 1 + (list.length % 7) });
    }
    const frozen = freezeEntrants(list);
    const expected = [...list].sort((a, b) => ((a.user_id as bigint) < (b.user_id as bigint) ? -1 : 1));
    const canonical = freezeEntrants(expected);
    expect(frozen.root.equals(canonical.root)).toBe(true);
    for (let i = 0; i < expected.length; i++) {
      expect(entrantUserId(frozen, i)).toBe(expected[i]?.user_id);
      expect(frozen.weights[i]).toBe(expected[i]?.weight);
    }
  });
});

describe('canonical order against a comparator sort', () => {
  const joined = (h: number, l: number): bigint => (BigInt(h) << 32n) | BigInt(l);
  // Ids from every radix digit range: tiny (one digit), Telegram-sized (three), up to 2^63 (all four).
  const id = fc.oneof(
    fc.bigInt({ min: 1n, max: 64n }),
    fc.bigInt({ min: 1n, max: 1n << 34n }),
    fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }),
  );

  it('orders columns like a (hi, lo) comparator sort, weights following ids; duplicates fail on the smallest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(id, fc.integer({ min: 1, max: 0x7fffffff })), { maxLength: 300 }),
        fc.boolean(),
        (rows, onlyTelegram) => {
          const list = onlyTelegram ? rows.map(([u, w]) => [(u % (1n << 34n)) + 1n, w] as const) : rows;
          const idHi = Uint32Array.from(list, ([u]) => Number(u >> 32n));
          const idLo = Uint32Array.from(list, ([u]) => Number(u & 0xffffffffn));
          const weights = Uint32Array.from(list, ([, w]) => w);
          // The comparator the canonical order is defined by (§2: user_id ascending), on the same columns.
          const order = list.map((_, i) => i);
          order.sort((a, b) => {
            const x = joined(idHi[a] ?? 0, idLo[a] ?? 0);
            const y = joined(idHi[b] ?? 0, idLo[b] ?? 0);
            return x < y ? -1 : x > y ? 1 : a - b;
          });
          const ids = order.map((i) => joined(idHi[i] ?? 0, idLo[i] ?? 0));
          const dup = ids.find((u, i) => i > 0 && u === ids[i - 1]);
          const total = weights.reduce((a, b) => a + b, 0);
          if (dup !== undefined) {
            expect(() => canonicalColumns({ idHi, idLo, weights })).toThrow(`duplicate user_id ${dup}`);
            return;
          }
          if (total >= 2 ** 53) return;
          const out = canonicalColumns({ idHi, idLo, weights });
          expect(Array.from(out.idHi, (h, i) => joined(h, out.idLo[i] ?? 0))).toEqual(ids);
          expect(Array.from(out.weights)).toEqual(order.map((i) => weights[i]));
          expect(out.totalWeight).toBe(total);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the order of 200 000 shuffled Telegram-sized ids (the radix sort at full width)', () => {
    const n = 200_000;
    const sortedIds = Array.from({ length: n }, (_, i) => 5_000_000_000 + i * 3);
    const shuffled = [...sortedIds];
    let seed = 42;
    for (let i = n - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const j = seed % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j] as number, shuffled[i] as number];
    }
    const frozen = freezeEntrants(shuffled.map((u) => ({ user_id: u, weight: 1 + (u % 5) })));
    for (let i = 0; i < n; i += 997) {
      expect(entrantUserId(frozen, i)).toBe(BigInt(sortedIds[i] as number));
      expect(frozen.weights[i]).toBe(1 + ((sortedIds[i] as number) % 5));
    }
  });
});
