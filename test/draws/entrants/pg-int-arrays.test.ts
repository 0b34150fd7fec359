// Decoding aggregated arrays into entrant columns: exact ids on both sides of 2^53, empty lists, and a
// mismatch between the id and weight arrays refused (a typed array would drop the extra values silently); array text
// cut into chunk literals without decoding it.
import { describe, expect, it } from 'vitest';
import { parseEntrantArrays, sliceArrayText } from '../../../server/draws/entrants/index.ts';

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

describe('sliceArrayText', () => {
  it('cuts array text into literals of at most n elements, the last one shorter', () => {
    expect(sliceArrayText('{1,22,333,4444,55555}', 2)).toEqual(['{1,22}', '{333,4444}', '{55555}']);
    expect(sliceArrayText('{1,22,333,4444}', 2)).toEqual(['{1,22}', '{333,4444}']);
    expect(sliceArrayText('{1,22,333}', 3)).toEqual(['{1,22,333}']);
    expect(sliceArrayText('{1,22,333}', 100)).toEqual(['{1,22,333}']);
    expect(sliceArrayText('{7}', 1)).toEqual(['{7}']);
    expect(sliceArrayText('{7,8,9}', 1)).toEqual(['{7}', '{8}', '{9}']);
  });

  it('gives no chunk for an empty list and refuses what is not an array', () => {
    expect(sliceArrayText('{}', 4)).toEqual([]);
    expect(() => sliceArrayText('1,2', 4)).toThrow(/not an array/);
    expect(() => sliceArrayText('{1,2}', 0)).toThrow(/positive/);
  });
});
