// The parallel Merkle build and the fast entrant read: worker threads over aligned chunks give the protocol's
// tree level for level (sizes around chunk boundaries, unpaired last nodes), and the array decoders read ids
// beyond 2^53 exactly.
import { afterAll, describe, expect, it } from 'vitest';
import { MerkleWorkers, workerExecArgv } from '../../../server/draws/entrants/merkle-workers.ts';
import { parseBigintArray, parseIntegerArray } from '../../../server/draws/entrants/pg-int-arrays.ts';
import { buildMerkleTree, freezeEntrants, hashLeaves } from '../../../server/draws/protocol/index.ts';

const workers = new MerkleWorkers(2);
afterAll(() => workers.close());

function columns(n: number, seed = 1) {
  const idHi = new Uint32Array(n);
  const idLo = new Uint32Array(n);
  const weights = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    idHi[i] = 1 + (i >>> 20);
    idLo[i] = (i * 4099 + seed) >>> 0;
    weights[i] = 1 + ((i * seed) % 9);
  }
  return { idHi, idLo, weights };
}

describe('MerkleWorkers', () => {
  it('builds exactly the protocol tree, level for level, across chunk boundaries', async () => {
    for (const n of [0, 1, 3, 32_767, 32_768, 49_153, 65_537]) {
      const c = columns(n, n % 7);
      const expected = buildMerkleTree(hashLeaves(c.idHi, c.idLo, c.weights));
      const tree = await workers.buildTree(c);
      expect(tree.count, `n=${n}`).toBe(n);
      expect(tree.root.toString('hex'), `n=${n}`).toBe(expected.root.toString('hex'));
      expect(tree.levels.length, `n=${n}`).toBe(expected.levels.length);
      tree.levels.forEach((level, l) =>
        expect(level.equals(expected.levels[l] as Buffer), `n=${n} l=${l}`).toBe(true),
      );
    }
  });

  it('freezes like freezeEntrants, sorting and validating columns first', async () => {
    const c = columns(40_000, 3);
    const entrants = Array.from(c.weights, (w, i) => ({
      user_id: (c.idHi[i] as number) * 2 ** 32 + (c.idLo[i] as number),
      weight: w,
    }));
    const shuffled = {
      idHi: c.idHi.slice().reverse(),
      idLo: c.idLo.slice().reverse(),
      weights: c.weights.slice().reverse(),
    };
    const frozen = await workers.freeze(shuffled);
    const expected = freezeEntrants(entrants);
    expect(frozen.root.equals(expected.root)).toBe(true);
    expect(frozen.totalWeight).toBe(expected.totalWeight);
    expect(Array.from(frozen.idLo)).toEqual(Array.from(expected.idLo));
    await expect(
      workers.freeze({
        idHi: new Uint32Array([0]),
        idLo: new Uint32Array([0]),
        weights: new Uint32Array([1]),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ENTRANTS' });
  });
});

describe('MerkleWorkers.warm', () => {
  it('starts the threads before the first draw, and the warmed threads build the same tree', async () => {
    const warmed = new MerkleWorkers(2);
    try {
      warmed.warm();
      warmed.warm(); // idempotent: never more threads than its size
      expect(warmed.started).toBe(2);
      const c = columns(70_000, 5);
      const expected = buildMerkleTree(hashLeaves(c.idHi, c.idLo, c.weights));
      expect((await warmed.buildTree(c)).root.equals(expected.root)).toBe(true);
    } finally {
      await warmed.close();
    }
  });

  it('starts threads without the parent module loaders, keeping its other flags', () => {
    expect(
      workerExecArgv([
        '--import',
        'tsx',
        '--cpu-prof',
        '--require=x',
        '-r',
        'y',
        '--loader',
        'z',
        '--max-old-space-size=64',
      ]),
    ).toEqual(['--cpu-prof', '--max-old-space-size=64']);
  });
});

describe('entrant array decoders', () => {
  it('read bigint[] and integer[] text exactly, ids beyond 2^53 included', () => {
    const big = 2n ** 62n + 12345n;
    const [hi, lo] = parseBigintArray(`{1,4294967296,9007199254740991,${big}}`);
    expect(Array.from(hi)).toEqual([0, 1, 0x1fffff, Number(big >> 32n)]);
    expect(Array.from(lo)).toEqual([1, 0, 0xffffffff, Number(big & 0xffffffffn)]);
    expect(Array.from(parseIntegerArray('{1,2147483647,3}'))).toEqual([1, 2147483647, 3]);
    expect(parseIntegerArray('{}')).toHaveLength(0);
    expect(() => parseIntegerArray('{1,NULL}')).toThrow(/unexpected character/);
  });
});
