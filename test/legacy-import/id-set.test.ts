// The importer's set of user ids must answer exactly as a Set<number> would, for any positive safe integer.
import { expect, it } from 'vitest';
import { IdSet } from '../../server/legacy-import/id-set.ts';

it('answers as a Set would across growth, for ids up to 2^53 and ids alike in their low 32 bits', () => {
  const ids: number[] = [];
  for (let i = 1; i <= 5_000; i++) ids.push(i, 5_000_000_000 + i * 7919, i * 4_294_967_296 + 7);
  ids.push(Number.MAX_SAFE_INTEGER, 4_294_967_296, 4_294_967_295);
  const set = new IdSet();
  const reference = new Set<number>();
  ids.forEach((id, n) => {
    if (n % 2 === 0) {
      set.add(id);
      reference.add(id);
    }
  });
  set.add(2).add(2);
  reference.add(2);

  expect(set.size).toBe(reference.size);
  for (const id of [...ids, 0, 0.5, 9, 5_000_000_001, Number.MAX_SAFE_INTEGER - 1]) {
    expect(set.has(id)).toBe(reference.has(id));
  }
  expect(new IdSet([3, 3, 4]).size).toBe(2);
  expect(() => set.add(0)).toThrow(RangeError);
  expect(() => set.add(2 ** 53)).toThrow(RangeError);
});
