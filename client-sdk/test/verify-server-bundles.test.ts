// The SDK's verifier against bundles the server's protocol module builds (tests may import server code; the
// SDK never does): genuine bundles pass, and each kind of tampering fails at its own step.
import { describe, expect, it } from 'vitest';
import {
  applyReroll,
  buildManualBundle,
  buildProofBundle,
  canonicalEntrantList,
  freezeEntrants,
  inclusionProof,
  type RandomProofBundle,
} from '../../server/draws/protocol/index.ts';
import { verifyDraw, verifyInclusion, type DrawBundle, type VerifyReport } from '../src/index.ts';

const SEED = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 7 + 3) & 0xff));
const BEACON = {
  round: 657413,
  signature:
    'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b',
};
// Ids spanning small numbers and ids beyond 2^53 (JSON strings), with varied weights.
const people = [
  ...Array.from({ length: 400 }, (_, i) => ({ user_id: 10_000 + i * 13, weight: 1 + (i % 4) })),
  ...Array.from({ length: 40 }, (_, i) => ({
    user_id: (9_007_199_254_740_993n + BigInt(i * 5)).toString(),
    weight: 2,
  })),
];
const frozen = freezeEntrants(people);
const entrants = canonicalEntrantList(frozen);

function bundleWith(opts: { beacon?: boolean; exclusions?: number } = {}): RandomProofBundle {
  const base = buildProofBundle({
    giveawayId: '6f1c2a4e-0000-4000-8000-000000000001',
    serverSeed: SEED,
    beacon: opts.beacon ? BEACON : null,
    entrants: frozen,
    winnersCount: 12,
    reservesCount: 4,
  });
  if (!opts.exclusions) return base;
  // Exclude the first picks, as a draw-time eligibility re-check would.
  const excluded = base.winners
    .slice(0, opts.exclusions)
    .map((w) => ({ user_id: w.user_id, reason: 'not_subscribed' }));
  return buildProofBundle({
    giveawayId: base.giveaway_id,
    serverSeed: SEED,
    beacon: opts.beacon ? BEACON : null,
    entrants: frozen,
    winnersCount: 12,
    reservesCount: 4,
    exclusions: excluded,
  });
}

const stepOf = (report: VerifyReport, step: string) => report.steps.find((s) => s.step === step);

describe('verifyDraw on bundles built by the server', () => {
  it('accepts a commit-reveal bundle with exclusions and reports every step', async () => {
    const bundle = bundleWith({ exclusions: 2 });
    const report = await verifyDraw(bundle, entrants);
    expect(report).toMatchObject({ ok: true, mode: 'random', claimsRandomness: true, failedStep: null });
    expect(report.steps.map((s) => s.step)).toEqual([
      'bundle',
      'commitment',
      'beacon',
      'entrants',
      'selection',
      'rerolls',
    ]);
    expect(stepOf(report, 'beacon')).toMatchObject({ ok: true, skipped: true });
    expect(report.winners.map((w) => w.user_id)).toEqual(bundle.winners.map((w) => String(w.user_id)));
  });

  it('accepts a beacon bundle (BLS signature checked) and one with rerolls from reserves and the stream', async () => {
    let bundle = bundleWith({ beacon: true, exclusions: 1 });
    for (let i = 0; i < 7; i++) bundle = applyReroll(bundle, frozen, 1 + (i % 3), 'unclaimed').bundle;
    const report = await verifyDraw(bundle, entrants);
    expect(report.ok).toBe(true);
    expect(stepOf(report, 'beacon')).toMatchObject({ ok: true });
    expect(stepOf(report, 'beacon')?.skipped).toBeUndefined();
    expect(stepOf(report, 'rerolls')?.message).toContain('7 rerolls');
    expect(report.winners[0]?.user_id).toBe(String(bundle.rerolls.at(-1)?.by_user_id));
  });

  it('takes the entrant list in any order, and checks the beacon through fetchBeacon when given', async () => {
    const bundle = bundleWith({ beacon: true });
    const shuffled = [...entrants].reverse();
    const fetched = await verifyDraw(bundle, shuffled, { fetchBeacon: () => Promise.resolve(BEACON) });
    expect(fetched.ok).toBe(true);
    const other = await verifyDraw(bundle, entrants, {
      fetchBeacon: () => Promise.resolve({ round: BEACON.round, signature: 'ab'.repeat(48) }),
    });
    expect(other.failedStep).toBe('beacon');
  });

  const tampers: Array<[string, string, (b: RandomProofBundle) => DrawBundle, typeof entrants?]> = [
    ['server_seed', 'commitment', (b) => ({ ...b, server_seed: 'ff' + b.server_seed.slice(2) })],
    ['seed_commitment', 'commitment', (b) => ({ ...b, seed_commitment: '00'.repeat(32) })],
    [
      'beacon signature',
      'beacon',
      (b) => ({ ...b, beacon: b.beacon && { ...b.beacon, signature: 'cd'.repeat(48) } }),
    ],
    [
      'beacon randomness',
      'beacon',
      (b) => ({ ...b, beacon: b.beacon && { ...b.beacon, randomness: 'ee'.repeat(32) } }),
    ],
    [
      'beacon round',
      'beacon',
      (b) => ({ ...b, beacon: b.beacon && { ...b.beacon, round: b.beacon.round + 1 } }),
    ],
    [
      'an entrant weight',
      'entrants',
      (b) => b,
      entrants.map((e, i) => (i === 3 ? { ...e, weight: e.weight + 1 } : e)),
    ],
    ['a missing entrant', 'entrants', (b) => b, entrants.slice(1)],
    ['entrants_count', 'entrants', (b) => ({ ...b, entrants_count: b.entrants_count + 1 })],
    [
      'swapped winners',
      'selection',
      (b) => ({
        ...b,
        winners: [b.winners[1], b.winners[0], ...b.winners.slice(2)].map((w, i) => ({
          place: i + 1,
          user_id: w?.user_id ?? 0,
        })),
      }),
    ],
    ['a reserve', 'selection', (b) => ({ ...b, reserves: [...b.reserves.slice(0, -1), 10_000] })],
    [
      'an unpicked exclusion',
      'selection',
      (b) => ({ ...b, exclusions: [...b.exclusions, { user_id: 10_013, reason: 'x' }] }),
    ],
    ['a dropped exclusion', 'selection', (b) => ({ ...b, exclusions: [] })],
    ['giveaway_id', 'selection', (b) => ({ ...b, giveaway_id: b.giveaway_id.replace('1', '2') })],
    [
      'a reroll replacement',
      'rerolls',
      (b) => ({
        ...b,
        rerolls: [{ ...(b.rerolls[0] as RandomProofBundle['rerolls'][0]), by_user_id: 10_000 }],
      }),
    ],
    ['the protocol', 'bundle', (b) => ({ ...b, protocol: 'giveaway-draw/v2' }) as unknown as DrawBundle],
  ];

  it.each(tampers)(
    'fails at the right step when %s is tampered with (%s)',
    async (_what, step, tamper, list) => {
      let bundle = bundleWith({ beacon: true, exclusions: 2 });
      bundle = applyReroll(bundle, frozen, 2, 'declined').bundle;
      const report = await verifyDraw(tamper(bundle), list ?? entrants);
      expect(report.ok).toBe(false);
      expect(report.failedStep).toBe(step);
      expect(stepOf(report, step)?.message).toBeTruthy();
    },
  );

  it('does not fail manual or imported bundles for claiming no randomness', async () => {
    const manual = buildManualBundle({
      giveawayId: 'g-manual',
      entrants: frozen,
      winnersCount: 3,
      picks: [entrants[5], entrants[410]].map((e) => ({ user_id: e?.user_id ?? 0, picked_at: new Date() })),
    });
    const report = await verifyDraw(manual, entrants);
    expect(report).toMatchObject({ ok: true, mode: 'manual', claimsRandomness: false, failedStep: null });
    expect(stepOf(report, 'randomness')).toMatchObject({ ok: true, skipped: true });
    const outsider = { ...manual, winners: [{ place: 1, user_id: 3, picked_at: manual.drawn_at }] };
    expect((await verifyDraw(outsider, entrants)).failedStep).toBe('winners');
    const imported = {
      protocol: 'giveaway-draw/v1',
      mode: 'imported' as const,
      winners: [{ place: 1, user_id: 77 }],
    };
    expect(await verifyDraw(imported, [])).toMatchObject({
      ok: true,
      mode: 'imported',
      claimsRandomness: false,
    });
  });

  it('checks inclusion proofs the server makes, and rejects altered ones', () => {
    const root = frozen.root.toString('hex');
    for (const index of [0, 1, 217, 439]) {
      const proof = inclusionProof(frozen.tree, index);
      const e = entrants[index] ?? { user_id: 0, weight: 0 };
      const full = { ...proof, ...e, entrants_count: frozen.count };
      expect(verifyInclusion(full, root)).toBe(true);
      expect(verifyInclusion({ ...full, weight: e.weight + 1 }, root)).toBe(false);
      expect(verifyInclusion({ ...full, siblings: full.siblings.slice(1) }, root)).toBe(false);
      expect(verifyInclusion(full, '00'.repeat(32))).toBe(false);
    }
  });
});
