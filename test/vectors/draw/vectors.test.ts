// The committed draw vectors (test/vectors/draw/*.json, written by generate.ts) are reproduced three ways: by
// the protocol module from their inputs, by the server's real draw in a database (close, checks, draw,
// rerolls through the service), and by the SDK's independent verifier.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDraw } from '../../../client-sdk/src/verify/verify-draw.ts';
import { DrandRelays } from '../../../server/draws/beacon/index.ts';
import { buildDraws } from '../../../server/draws/index.ts';
import {
  buildProofBundle,
  freezeEntrants,
  seedCommitment,
  type RandomProofBundle,
} from '../../../server/draws/protocol/index.ts';
import { planReroll } from '../../../server/draws/rerolls/index.ts';
import { REAL_ROUND, startFakeRelay, type FakeRelay } from '../../draws/http-harness.ts';
import {
  TableJobs,
  TestEvaluator,
  createDrawsDatabase,
  ensureUsers,
  silentLogger,
} from '../../draws/support.ts';
import type { TestDatabase } from '../../support/database.ts';

interface Vector {
  description: string;
  inputs: {
    server_seed: string;
    giveaway_id: string;
    winners_count: number;
    reserves_count: number;
    beacon: { round: number; signature: string } | null;
    exclusions_at_draw: Array<{ user_id: number; reason: string }>;
    rerolls: Array<{ place: number; reason: 'declined' | 'unclaimed' | 'ineligible' | 'other' }>;
  };
  expected: { seed_commitment: string; entrants_root: string };
  bundle: RandomProofBundle;
  entrants: Array<{ user_id: number; weight: number }>;
}

const DIR = fileURLToPath(new URL('.', import.meta.url));
const vectors = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f.replace('.json', ''), JSON.parse(readFileSync(`${DIR}${f}`, 'utf8')) as Vector] as const);

const REQUIRED = [
  'weights',
  'exclusions',
  'reserves',
  'reroll',
  'zero-entrants',
  'one-entrant',
  'winners-exceed-entrants',
  'beacon',
];

it('covers weights, exclusions, reserves, a reroll, zero and one entrant, winners > entrants and the beacon', () => {
  expect(vectors.map(([name]) => name).sort()).toEqual([...REQUIRED].sort());
});

describe.each(vectors)('vector %s', (name, v) => {
  it('is rebuilt exactly by the protocol module from its inputs', async () => {
    const entrants = freezeEntrants(v.entrants);
    expect(entrants.root.toString('hex')).toBe(v.expected.entrants_root);
    const serverSeed = Buffer.from(v.inputs.server_seed, 'hex');
    expect(seedCommitment(serverSeed)).toBe(v.expected.seed_commitment);
    let bundle = buildProofBundle({
      giveawayId: v.inputs.giveaway_id,
      serverSeed,
      beacon: v.inputs.beacon,
      entrants,
      winnersCount: v.inputs.winners_count,
      reservesCount: v.inputs.reserves_count,
      exclusions: v.inputs.exclusions_at_draw,
      drawnAt: new Date(v.bundle.drawn_at),
    });
    const laterExclusions = v.bundle.exclusions.slice(v.inputs.exclusions_at_draw.length);
    for (const r of v.inputs.rerolls) {
      const plan = await planReroll({
        bundle,
        entrants,
        place: r.place,
        reason: r.reason,
        decide: (userId) => {
          const excluded = laterExclusions.find((e) => Number(e.user_id) === userId);
          return Promise.resolve(
            excluded ? { eligible: false, reason: excluded.reason } : { eligible: true, reason: null },
          );
        },
      });
      bundle = plan.bundle;
    }
    expect(bundle).toEqual(v.bundle);
  });

  it('verifies with the SDK verifier, independently of the server code', async () => {
    const report = await verifyDraw(v.bundle, v.entrants, {
      published: {
        seed_commitment: v.expected.seed_commitment,
        beacon_round: v.inputs.beacon?.round ?? null,
      },
    });
    expect(report.steps.filter((s) => !s.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(name).toBeTruthy();
  });
});

describe('the server’s draw', () => {
  let database: TestDatabase;
  let relay: FakeRelay;
  beforeAll(async () => {
    database = await createDrawsDatabase();
    relay = await startFakeRelay((round) =>
      round === REAL_ROUND.round ? { status: 200, body: REAL_ROUND } : null,
    );
  });
  afterAll(async () => {
    await relay?.close();
    await database?.drop();
  });

  it.each(vectors)('reproduces vector %s in a database, rerolls included', async (_name, v) => {
    const pool = database.pool;
    const evaluator = new TestEvaluator();
    for (const e of v.bundle.exclusions) evaluator.failing.add(Number(e.user_id));
    const service = buildDraws({
      pool,
      logger: silentLogger,
      requirements: evaluator,
      jobs: new TableJobs(),
      beacon: new DrandRelays({ urls: [relay.url], logger: pino({ level: 'silent' }) }),
      options: { checkRetryDelaysMs: [5], retryBaseMs: 10 },
    });
    const ids = v.entrants.map((e) => e.user_id);
    await ensureUsers(pool, [42, ...ids]);
    await pool.query(
      `INSERT INTO giveaways (id, creator_id, title, started_at, ends_at, duration, winners_count, reserves_count)
       VALUES ($1, 42, 'Vector', now() - interval '1 hour', now() - interval '1 second', 3600, $2, $3)`,
      [v.inputs.giveaway_id, v.inputs.winners_count, v.inputs.reserves_count],
    );
    const beacon = v.inputs.beacon
      ? JSON.stringify({
          network: 'drand-quicknet',
          chain_hash: v.bundle.beacon?.chain_hash,
          round: v.inputs.beacon.round,
        })
      : null;
    await pool.query(
      `INSERT INTO draw_commitments (giveaway_id, server_seed, seed_commitment, beacon) VALUES ($1, $2, $3, $4)`,
      [v.inputs.giveaway_id, Buffer.from(v.inputs.server_seed, 'hex'), v.expected.seed_commitment, beacon],
    );
    await pool.query(
      `INSERT INTO participants (giveaway_id, user_id) SELECT $1, u FROM unnest($2::bigint[]) u`,
      [v.inputs.giveaway_id, ids],
    );
    await pool.query(
      `INSERT INTO tickets (giveaway_id, user_id, count)
       SELECT $1, u, w - 1 FROM unnest($2::bigint[], $3::int[]) AS t(u, w) WHERE w > 1`,
      [v.inputs.giveaway_id, ids, v.entrants.map((e) => e.weight)],
    );
    if (v.bundle.exclusions.length > 0) {
      await pool.query(`INSERT INTO requirements (giveaway_id, position, type) VALUES ($1, 0, 'premium')`, [
        v.inputs.giveaway_id,
      ]);
    }

    expect(await service.execution.closeAndDraw(v.inputs.giveaway_id)).toBe('completed');
    for (const r of v.inputs.rerolls) {
      await service.rerolls.reroll({ userId: 42, isAdmin: false }, v.inputs.giveaway_id, r.place, {
        reason: r.reason,
      });
    }
    const bundle = await service.proofs.getProof(v.inputs.giveaway_id);
    expect({ ...bundle, drawn_at: v.bundle.drawn_at }).toEqual(v.bundle);
  });
});
