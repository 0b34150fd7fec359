// Decoding aggregated arrays into entrant columns: exact ids on both sides of 2^53, empty lists, and a
// mismatch between the id and weight arrays refused (a typed array would drop the extra values silently).
import { describe, expect, it } from 'vitest';
import { parseEntrantArrays } from '../../../server/draws/entrants/index.ts';

describe('parseEntrantArrays', () => {
  it('decodes ids into exact u32 halves and weights into u32', () => {
    const big = 2n ** 63n - 1n;
    const c = parseEntrantArrays(`{1,5000000007,${2n ** 53n + 1n},${big}}`, '{1,2,3,2147483647}');
    const ids = Array.from(c.idHi, (hi, i) => (BigInt(hi) << 32n) | BigInt(c.idLo[i] ?? 0));
    expect(ids).toEqual([1n, 5000000007n, 2n ** 53n + 1n, big]);
    expect(Array.from(c.weights)).toEqual([1, 2, 3, 2147483647]);
    expect(c.idHi.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('decodes an empty list', () => {
    expect(parseEntrantArrays('{}', '{}').weights).toHaveLength(0);
  });

  it('refuses arrays of different lengths, either way round', () => {
    expect(() => parseEntrantArrays('{1,2,3}', '{1,1}')).toThrow(/3 elements where 2/);
    expect(() => parseEntrantArrays('{1}', '{1,1}')).toThrow(/1 elements where 2/);
    expect(() => parseEntrantArrays('{}', '{1}')).toThrow(/0 elements where 1/);
    expect(() => parseEntrantArrays('{1,x}', '{1,1}')).toThrow(/unexpected character/);
  });
});
