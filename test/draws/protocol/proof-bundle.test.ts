// Proof bundles: building §5 bundles for the §8 vectors, verifying them, catching tampering, rerolls, §7 manual.
import { describe, expect, it, vi } from 'vitest';
import {
  QUICKNET,
  applyReroll,
  beaconSignedMessage,
  buildManualBundle,
  buildProofBundle,
  currentWinners,
  freezeEntrants,
  restoreSelector,
  verifyProofBundle,
  type BeaconSignatureVerifier,
  type ProofBundle,
  type RandomProofBundle,
} from '../../../server/draws/protocol/index.ts';
import { SERVER_SEED, VECTOR_A, VECTOR_B } from './fixtures.ts';

const DRAWN_AT = new Date('2026-01-02T03:04:05.000Z');
const entrantsA = freezeEntrants(VECTOR_A.entrants);
const entrantsB = freezeEntrants(VECTOR_B.entrants);
const acceptAll: BeaconSignatureVerifier = () => true;

function bundleA(exclusions: readonly number[] = []): RandomProofBundle {
  return buildProofBundle({
    giveawayId: VECTOR_A.giveawayId,
    serverSeed: SERVER_SEED,
    beacon: null,
    entrants: entrantsA,
    winnersCount: VECTOR_A.winnersCount,
    reservesCount: VECTOR_A.reservesCount,
    exclusions: exclusions.map((user_id) => ({ user_id, reason: 'not_subscribed' })),
    drawnAt: DRAWN_AT,
  });
}

function bundleB(): RandomProofBundle {
  return buildProofBundle({
    giveawayId: VECTOR_B.giveawayId,
    serverSeed: SERVER_SEED,
    beacon: { round: VECTOR_B.round, signature: VECTOR_B.signature, randomness: VECTOR_B.randomness },
    entrants: entrantsB,
    winnersCount: VECTOR_B.winnersCount,
    reservesCount: VECTOR_B.reservesCount,
    drawnAt: DRAWN_AT,
  });
}

const codes = (
  bundle: ProofBundle,
  entrants = VECTOR_A.entrants as unknown as Parameters<typeof verifyProofBundle>[1],
) => verifyProofBundle(bundle, entrants, { verifyBeaconSignature: acceptAll }).problems.map((p) => p.code);

describe('buildProofBundle', () => {
  it('produces the §5 bundle for vector A', () => {
    expect(bundleA()).toEqual({
      protocol: 'giveaway-draw/v1',
      giveaway_id: 'g-1',
      seed_commitment: VECTOR_A.seedCommitment,
      server_seed: SERVER_SEED.toString('hex'),
      beacon: null,
      entrants_root: VECTOR_A.root,
      entrants_count: 1000,
      total_weight: 1999,
      winners_count: 10,
      reserves_count: 5,
      exclusions: [],
      winners: VECTOR_A.winners.map((user_id, i) => ({ place: i + 1, user_id })),
      reserves: VECTOR_A.reserves,
      rerolls: [],
      drawn_at: '2026-01-02T03:04:05.000Z',
    });
  });

  it('lists vector A exclusions in pick order with reasons', () => {
    const bundle = bundleA([1149, 1023]);
    expect(bundle.exclusions).toEqual([
      { user_id: 1023, reason: 'not_subscribed' },
      { user_id: 1149, reason: 'not_subscribed' },
    ]);
    expect(bundle.winners.map((w) => w.user_id)).toEqual(VECTOR_A.winnersWithExclusions);
    expect(bundle.reserves).toEqual(VECTOR_A.reservesWithExclusions);
  });

  it('produces vector B with the beacon and passes its signature to the injected verifier', () => {
    const verify = vi.fn<BeaconSignatureVerifier>(() => true);
    const bundle = buildProofBundle({
      giveawayId: VECTOR_B.giveawayId,
      serverSeed: SERVER_SEED,
      beacon: { round: VECTOR_B.round, signature: VECTOR_B.signature },
      entrants: entrantsB,
      winnersCount: 2,
      reservesCount: 1,
      verifyBeaconSignature: verify,
    });
    expect(bundle.beacon).toEqual({
      network: 'drand-quicknet',
      chain_hash: QUICKNET.chainHash,
      round: VECTOR_B.round,
      signature: VECTOR_B.signature,
      randomness: VECTOR_B.randomness,
    });
    expect(bundle.entrants_root).toBe(VECTOR_B.root);
    expect(bundle.winners).toEqual([
      { place: 1, user_id: 5 },
      { place: 2, user_id: 11 },
    ]);
    expect(bundle.reserves).toEqual([7]);
    const call = verify.mock.calls[0]?.[0];
    expect(call?.round).toBe(VECTOR_B.round);
    expect(call?.signature.toString('hex')).toBe(VECTOR_B.signature);
    expect(call?.message.equals(beaconSignedMessage(VECTOR_B.round))).toBe(true);
    expect(call?.publicKey).toBe(QUICKNET.publicKey);
  });

  it('refuses a beacon that fails verification or whose randomness is not H(signature)', () => {
    const base = {
      giveawayId: 'g-2',
      serverSeed: SERVER_SEED,
      entrants: entrantsB,
      winnersCount: 2,
      reservesCount: 1,
    };
    const beacon = { round: VECTOR_B.round, signature: VECTOR_B.signature };
    const invalid = expect.objectContaining({ code: 'INVALID_BEACON' });
    expect(() => buildProofBundle({ ...base, beacon, verifyBeaconSignature: () => false })).toThrow(invalid);
    expect(() => buildProofBundle({ ...base, beacon: { ...beacon, randomness: '00'.repeat(32) } })).toThrow(
      invalid,
    );
    expect(() => buildProofBundle({ ...base, beacon: { ...beacon, round: 0 } })).toThrow(invalid);
    expect(() => buildProofBundle({ ...base, beacon: { ...beacon, signature: 'XYZ' } })).toThrow(invalid);
  });

  it('refuses exclusions that were never picked', () => {
    expect(() => bundleA([1500])).toThrow(expect.objectContaining({ code: 'INVALID_EXCLUSIONS' }));
    expect(() => bundleA([5])).toThrow(expect.objectContaining({ code: 'INVALID_EXCLUSIONS' }));
  });

  it('handles zero entrants', () => {
    const empty = freezeEntrants([]);
    const bundle = buildProofBundle({
      giveawayId: 'g-0',
      serverSeed: SERVER_SEED,
      beacon: null,
      entrants: empty,
      winnersCount: 3,
      reservesCount: 1,
    });
    expect(bundle.entrants_root).toBe('00'.repeat(32));
    expect(bundle.winners).toEqual([]);
    expect(bundle.reserves).toEqual([]);
    expect(verifyProofBundle(bundle, [])).toEqual({ ok: true, problems: [], skipped: [] });
  });
});

describe('verifyProofBundle', () => {
  it('accepts untouched bundles, also after a JSON round trip and with entrants in any order', () => {
    expect(verifyProofBundle(bundleA(), VECTOR_A.entrants)).toEqual({ ok: true, problems: [], skipped: [] });
    const json = JSON.parse(JSON.stringify(bundleA([1023, 1149]))) as RandomProofBundle;
    expect(verifyProofBundle(json, [...VECTOR_A.entrants].reverse()).ok).toBe(true);
    expect(verifyProofBundle(bundleB(), entrantsB, { verifyBeaconSignature: acceptAll }).ok).toBe(true);
  });

  it('reports a skipped beacon signature check as not ok', () => {
    const result = verifyProofBundle(bundleB(), VECTOR_B.entrants);
    expect(result).toEqual({ ok: false, problems: [], skipped: ['beacon_signature'] });
  });

  it('detects a tampered winner, reserve or place', () => {
    const bundle = bundleA();
    const winners = bundle.winners.map((w) => (w.place === 4 ? { ...w, user_id: 1387 } : w));
    expect(codes({ ...bundle, winners })).toEqual(['WINNERS']);
    expect(codes({ ...bundle, winners: bundle.winners.slice(1) })).toEqual(['WINNERS']);
    expect(codes({ ...bundle, winners: bundle.winners.map((w) => ({ ...w, place: w.place + 1 })) })).toEqual([
      'WINNERS',
    ]);
    expect(codes({ ...bundle, reserves: [...bundle.reserves].reverse() })).toEqual(['RESERVES']);
  });

  it('detects a tampered seed or commitment', () => {
    const bundle = bundleA();
    const otherSeed = Buffer.from(SERVER_SEED).fill(9, 0, 1).toString('hex');
    expect(codes({ ...bundle, server_seed: otherSeed })).toEqual(['SEED_COMMITMENT', 'WINNERS', 'RESERVES']);
    expect(codes({ ...bundle, seed_commitment: 'ab'.repeat(32) })).toEqual(['SEED_COMMITMENT']);
    const published = { seed_commitment: 'cd'.repeat(32), beacon: null };
    const result = verifyProofBundle(bundle, entrantsA, { published });
    expect(result.problems.map((p) => p.code)).toEqual(['NOT_AS_PUBLISHED']);
  });

  it('detects a tampered root, count, total weight or entrant list', () => {
    const bundle = bundleA();
    expect(codes({ ...bundle, entrants_root: 'ee'.repeat(32) })).toEqual(['ENTRANTS_ROOT']);
    expect(codes({ ...bundle, entrants_count: 999 })).toEqual(['ENTRANTS_COUNT']);
    expect(codes({ ...bundle, total_weight: 2000 })).toEqual(['TOTAL_WEIGHT']);
    const heavier = VECTOR_A.entrants.map((e) => (e.user_id === 1500 ? { ...e, weight: e.weight + 1 } : e));
    expect(codes(bundle, heavier)).toContain('ENTRANTS_ROOT');
    expect(codes(bundle, [...VECTOR_A.entrants, { user_id: 1000, weight: 1 }])).toEqual(['ENTRANTS_INVALID']);
  });

  it('detects tampered exclusions', () => {
    const bundle = bundleA([1023, 1149]);
    expect(codes({ ...bundle, exclusions: bundle.exclusions.slice(1) })).toEqual(['WINNERS', 'RESERVES']);
    expect(codes({ ...bundle, exclusions: [...bundle.exclusions, { user_id: 1500, reason: 'x' }] })).toEqual([
      'EXCLUSIONS',
    ]);
    expect(codes({ ...bundle, exclusions: [{ user_id: 1, reason: 'x' }] })).toEqual(['EXCLUSIONS']);
  });

  it('detects a tampered beacon', () => {
    const bundle = bundleB();
    const beacon = bundle.beacon ?? expect.fail('vector B has a beacon');
    const check = (b: RandomProofBundle, verify: BeaconSignatureVerifier = acceptAll) =>
      verifyProofBundle(b, entrantsB, { verifyBeaconSignature: verify }).problems.map((p) => p.code);
    expect(check(bundle, () => false)).toEqual(['BEACON_SIGNATURE']);
    expect(
      check(bundle, () => {
        throw new Error('bad point');
      }),
    ).toEqual(['BEACON_SIGNATURE']);
    expect(check({ ...bundle, beacon: { ...beacon, randomness: 'aa'.repeat(32) } })).toContain(
      'BEACON_RANDOMNESS',
    );
    expect(check({ ...bundle, beacon: { ...beacon, chain_hash: 'aa'.repeat(32) } })).toEqual(['BEACON']);
    // Dropping the beacon changes the seed; only the creation-time record shows the beacon was promised.
    expect(check({ ...bundle, beacon: null })).toEqual(['WINNERS', 'RESERVES']);
    const published = { seed_commitment: bundle.seed_commitment, beacon: { ...beacon } };
    const dropped = verifyProofBundle({ ...bundle, beacon: null }, entrantsB, { published });
    expect(dropped.problems.map((p) => p.code)).toEqual(['NOT_AS_PUBLISHED', 'WINNERS', 'RESERVES']);
    const later = verifyProofBundle(
      { ...bundle, beacon: { ...beacon, round: beacon.round + 1 } },
      entrantsB,
      {
        published,
        verifyBeaconSignature: acceptAll,
      },
    );
    expect(later.problems.map((p) => p.code)).toEqual(['NOT_AS_PUBLISHED']);
  });

  it('reports malformed input instead of throwing', () => {
    const bundle = bundleA();
    const malformed: unknown[] = [
      null,
      {},
      { ...bundle, server_seed: 'zz' },
      { ...bundle, winners: 'nope' },
      { ...bundle, winners: [{ place: 1 }] },
      { ...bundle, drawn_at: 'yesterday' },
      { ...bundle, beacon: { round: -1 } },
      { ...bundle, mode: 'lottery' },
    ];
    for (const b of malformed) {
      const result = verifyProofBundle(b as ProofBundle, VECTOR_A.entrants);
      expect(result.ok).toBe(false);
      expect(result.problems.length).toBeGreaterThan(0);
    }
    expect(
      verifyProofBundle({ ...bundle, protocol: 'v0' } as unknown as ProofBundle, entrantsA).problems,
    ).toEqual([expect.objectContaining({ code: 'PROTOCOL' })]);
  });
});

describe('rerolls in bundles', () => {
  it('append the first unused reserve, then continue the stream, and verify', () => {
    let bundle = bundleA();
    const taken: (number | string)[] = [];
    for (let i = 0; i < 7; i++) {
      const result = applyReroll(bundle, entrantsA, 1, i % 2 ? 'declined' : 'unclaimed');
      taken.push(result.reroll.by_user_id);
      bundle = result.bundle;
    }
    expect(taken).toEqual([...VECTOR_A.reserves, 1941, 1922]);
    expect(bundle.rerolls[0]).toEqual({
      place: 1,
      replaced_user_id: 1023,
      by_user_id: 1671,
      reason: 'unclaimed',
    });
    expect(bundle.rerolls[6]).toEqual({
      place: 1,
      replaced_user_id: 1941,
      by_user_id: 1922,
      reason: 'unclaimed',
    });
    expect(bundle.winners.map((w) => w.user_id)).toEqual(VECTOR_A.winners);
    expect(currentWinners(bundle)[0]).toEqual({ place: 1, user_id: 1922 });
    expect(verifyProofBundle(bundle, VECTOR_A.entrants).ok).toBe(true);

    const rerolls = bundle.rerolls.map((r, i) => (i === 6 ? { ...r, by_user_id: 1941 } : r));
    expect(codes({ ...bundle, rerolls })).toEqual(['REROLLS']);
    const wrongHolder = bundle.rerolls.map((r, i) => (i === 2 ? { ...r, replaced_user_id: 1023 } : r));
    expect(codes({ ...bundle, rerolls: wrongHolder })).toEqual(['REROLLS']);
    expect(
      codes({ ...bundle, rerolls: [...bundle.rerolls, { ...bundle.rerolls[0], place: 11 }] as never }),
    ).toEqual(['REROLLS']);
  });

  it('restoreSelector refuses a bundle that does not replay', () => {
    const bundle = bundleA();
    expect(restoreSelector(bundle, entrantsA).unusedReserves).toHaveLength(5);
    const tampered = { ...bundle, reserves: [1, 2, 3, 4, 5] };
    expect(() => applyReroll(tampered, entrantsA, 1, 'x')).toThrow(
      expect.objectContaining({ code: 'INVALID_PROOF' }),
    );
    expect(() => restoreSelector(bundle, entrantsB)).toThrow(
      expect.objectContaining({ code: 'INVALID_PROOF' }),
    );
    expect(() => applyReroll(bundle, entrantsA, 1, '')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('carries ids above 2^53 as decimal strings', () => {
    const big = [2n ** 60n + 1n, 2n ** 60n + 2n, 2n ** 60n + 3n];
    const list = big.map((user_id) => ({ user_id, weight: 1 }));
    const entrants = freezeEntrants(list);
    let bundle = buildProofBundle({
      giveawayId: 'big',
      serverSeed: SERVER_SEED,
      beacon: null,
      entrants,
      winnersCount: 1,
      reservesCount: 1,
    });
    bundle = applyReroll(bundle, entrants, 1, 'declined').bundle;
    bundle = applyReroll(bundle, entrants, 1, 'declined').bundle;
    const all = [...bundle.winners.map((w) => w.user_id), ...bundle.reserves, bundle.rerolls[1]?.by_user_id];
    expect(all.every((id) => typeof id === 'string' && big.includes(BigInt(id)))).toBe(true);
    const json = JSON.parse(JSON.stringify(bundle)) as RandomProofBundle;
    expect(
      verifyProofBundle(
        json,
        list.map((e) => ({ ...e, user_id: e.user_id.toString() })),
      ).ok,
    ).toBe(true);
  });
});

describe('manual bundles (§7)', () => {
  const picks = [
    { user_id: 1500, picked_at: new Date('2026-01-02T10:00:00Z') },
    { user_id: 1007, picked_at: new Date('2026-01-02T10:05:00Z') },
  ];
  const manual = buildManualBundle({
    giveawayId: 'g-m',
    entrants: entrantsA,
    winnersCount: 3,
    picks,
    drawnAt: DRAWN_AT,
  });

  it('lists who was picked and when, and claims no randomness', () => {
    expect(manual).toEqual({
      protocol: 'giveaway-draw/v1',
      mode: 'manual',
      giveaway_id: 'g-m',
      entrants_root: VECTOR_A.root,
      entrants_count: 1000,
      total_weight: 1999,
      winners_count: 3,
      winners: [
        { place: 1, user_id: 1500, picked_at: '2026-01-02T10:00:00.000Z' },
        { place: 2, user_id: 1007, picked_at: '2026-01-02T10:05:00.000Z' },
      ],
      drawn_at: '2026-01-02T03:04:05.000Z',
    });
    expect(manual).not.toHaveProperty('server_seed');
    expect(manual).not.toHaveProperty('beacon');
    expect(currentWinners(manual).map((w) => w.user_id)).toEqual([1500, 1007]);
  });

  it('verifies, and detects non-entrant or repeated winners and a wrong root', () => {
    expect(verifyProofBundle(manual, VECTOR_A.entrants)).toEqual({ ok: true, problems: [], skipped: [] });
    const stranger = {
      ...manual,
      winners: [{ place: 1, user_id: 1, picked_at: '2026-01-02T10:00:00.000Z' }],
    };
    expect(codes(stranger)).toEqual(['WINNERS']);
    const twice = { ...manual, winners: manual.winners.map((w) => ({ ...w, user_id: 1500 })) };
    expect(codes(twice)).toEqual(['WINNERS']);
    expect(codes({ ...manual, entrants_root: '00'.repeat(32) })).toEqual(['ENTRANTS_ROOT']);
  });

  it('refuses picks that are not entrants, repeated, or too many', () => {
    const build = (p: typeof picks, winnersCount = 3) =>
      buildManualBundle({ giveawayId: 'g-m', entrants: entrantsA, winnersCount, picks: p });
    expect(() => build([{ user_id: 1, picked_at: DRAWN_AT }])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => build([picks[0], picks[0]] as typeof picks)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => build(picks, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
