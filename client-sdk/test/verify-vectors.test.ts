// Draw protocol v1 §8 test vectors, recomputed by the SDK's own verifier (no server code involved).
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../src/verify/bytes.ts';
import { entrantColumns } from '../src/verify/entrants.ts';
import { hashLeafWords, hashNodeWords, wordsToHex } from '../src/verify/sha256-words.ts';
import { Selector } from '../src/verify/selection.ts';
import { DrawStream, drawSeed } from '../src/verify/stream.ts';
import { verifyQuicknetSignature } from '../src/verify/beacon.ts';
import { verifyDraw } from '../src/index.ts';

const SERVER_SEED = bytesToHex(Uint8Array.from({ length: 32 }, (_, i) => i));
const vectorA = Array.from({ length: 1000 }, (_, i) => ({ user_id: 1000 + i, weight: 1 + (i % 3) }));
const vectorB = [
  { user_id: 5, weight: 1 },
  { user_id: 7, weight: 3 },
  { user_id: 11, weight: 2 },
];
const BEACON_SIG =
  'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b';
const BEACON_RANDOMNESS = 'fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587';

function draw(
  entrants: typeof vectorA,
  id: string,
  beacon: string | null,
  excluded: number[],
  w: number,
  r: number,
) {
  const columns = entrantColumns(entrants);
  const selector = new Selector(
    columns,
    new DrawStream(drawSeed(SERVER_SEED, id, columns.root, beacon)),
    new Set(excluded.map(String)),
  );
  selector.draw(w, r);
  return {
    root: columns.root,
    winners: selector.winners.map(Number),
    reserves: selector.reserves.map(Number),
  };
}

describe('draw protocol v1 test vectors (§8)', () => {
  it('vector A: commitment, entrants root, seed, and the draw with and without exclusions', () => {
    expect(bytesToHex(sha256(Uint8Array.from({ length: 32 }, (_, i) => i)))).toBe(
      '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd',
    );
    const columns = entrantColumns(vectorA);
    expect(columns.root).toBe('35f9a0d18e1a3d57c612ab910280cf746cdb309307808bd930d62c6050c8f2ff');
    expect(columns.totalWeight).toBe(1999);
    expect(bytesToHex(drawSeed(SERVER_SEED, 'g-1', columns.root, null))).toBe(
      'f7400eafb83c589d553f684b22d58206a2221699b35838676ca2082581502b8d',
    );
    const plain = draw(vectorA, 'g-1', null, [], 10, 5);
    expect(plain.winners).toEqual([1023, 1375, 1149, 1386, 1215, 1923, 1778, 1830, 1020, 1965]);
    expect(plain.reserves).toEqual([1671, 1299, 1630, 1659, 1426]);
    const excluded = draw(vectorA, 'g-1', null, [1023, 1149], 10, 5);
    expect(excluded.winners).toEqual([1375, 1386, 1215, 1923, 1778, 1830, 1020, 1965, 1671, 1299]);
    expect(excluded.reserves).toEqual([1630, 1659, 1426, 1941, 1922]);
  });

  it('vector B: beacon randomness is H(signature), the round signature verifies, and the draw matches', async () => {
    expect(bytesToHex(sha256(Uint8Array.from(Buffer.from(BEACON_SIG, 'hex'))))).toBe(BEACON_RANDOMNESS);
    expect(await verifyQuicknetSignature({ round: 657413, signature: BEACON_SIG })).toBe(true);
    expect(await verifyQuicknetSignature({ round: 657414, signature: BEACON_SIG })).toBe(false);
    const result = draw(vectorB, 'g-2', BEACON_RANDOMNESS, [], 2, 1);
    expect(result.root).toBe('1c3ef40e10cfa21e01e5568e45bc85e6822f1350c6a5d950b8373a1abe4fa6be');
    expect(result.winners).toEqual([5, 11]);
    expect(result.reserves).toEqual([7]);
  });

  it('hashes leaves and nodes exactly like a general SHA-256, including ids beyond 2^53', () => {
    const out = new Int32Array(24);
    for (const [hi, lo, w] of [
      [0, 1, 1],
      [0x7fffffff, 0xffffffff, 0x7fffffff],
      [0x00abcdef, 0x12345678, 977],
    ] as const) {
      hashLeafWords(hi, lo, w, out, 0);
      const pre = new Uint8Array(13);
      const view = new DataView(pre.buffer);
      view.setUint32(1, hi);
      view.setUint32(5, lo);
      view.setUint32(9, w);
      expect(wordsToHex(out, 0)).toBe(bytesToHex(sha256(pre)));
    }
    const leftRight = Int32Array.from({ length: 16 }, (_, i) => (i * 0x9e3779b9) | 0);
    hashNodeWords(leftRight, 0, 8, out, 16);
    const bytes = new Uint8Array(65);
    bytes[0] = 1;
    leftRight.forEach((word, i) => new DataView(bytes.buffer).setInt32(1 + 4 * i, word));
    expect(wordsToHex(out, 16)).toBe(bytesToHex(sha256(bytes)));
    expect(bytesToHex(hmac(sha256, new Uint8Array(32), new Uint8Array(0)))).toHaveLength(64);
  });

  it('verifyDraw accepts bundles written from the vectors alone (A with exclusions, B with its beacon)', async () => {
    const common = {
      protocol: 'giveaway-draw/v1' as const,
      server_seed: SERVER_SEED,
      rerolls: [],
      drawn_at: '2025-01-01T00:00:00Z',
    };
    const a = {
      ...common,
      giveaway_id: 'g-1',
      seed_commitment: '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd',
      beacon: null,
      entrants_root: '35f9a0d18e1a3d57c612ab910280cf746cdb309307808bd930d62c6050c8f2ff',
      entrants_count: 1000,
      total_weight: 1999,
      winners_count: 10,
      reserves_count: 5,
      exclusions: [1023, 1149].map((user_id) => ({ user_id, reason: 'not_subscribed' })),
      winners: [1375, 1386, 1215, 1923, 1778, 1830, 1020, 1965, 1671, 1299].map((user_id, i) => ({
        place: i + 1,
        user_id,
      })),
      reserves: [1630, 1659, 1426, 1941, 1922],
    };
    expect(await verifyDraw(a, vectorA)).toMatchObject({ ok: true, failedStep: null });
    expect((await verifyDraw({ ...a, exclusions: [] }, vectorA)).failedStep).toBe('selection');
    const b = {
      ...common,
      giveaway_id: 'g-2',
      seed_commitment: a.seed_commitment,
      beacon: {
        network: 'drand-quicknet',
        chain_hash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
        round: 657413,
        signature: BEACON_SIG,
        randomness: BEACON_RANDOMNESS,
      },
      entrants_root: '1c3ef40e10cfa21e01e5568e45bc85e6822f1350c6a5d950b8373a1abe4fa6be',
      entrants_count: 3,
      total_weight: 6,
      winners_count: 2,
      reserves_count: 1,
      exclusions: [],
      winners: [5, 11].map((user_id, i) => ({ place: i + 1, user_id })),
      reserves: [7],
    };
    const report = await verifyDraw(b, vectorB);
    expect(report).toMatchObject({ ok: true, failedStep: null });
    expect(report.steps.find((step) => step.step === 'beacon')).toMatchObject({ ok: true });
  });
});
