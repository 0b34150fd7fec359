// Beacon draws end to end against a local fake drand relay: the round is committed at creation, a giveaway
// whose round is not served yet waits in `drawing` (and its view says so), then completes with the verified
// beacon in its proof; forged beacons keep it waiting, never a weaker source.
import type { RequirementView } from '../../../schema/contract/index.ts';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import * as db from 'zapatos/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../server/auth/index.ts';
import { verifyQuicknetSignature } from '../../../server/draws/beacon/beacon-verifier.ts';
import { DrandRelays } from '../../../server/draws/beacon/drand-relays.ts';
import { DrawScheduler, buildDraws, type Draws } from '../../../server/draws/index.ts';
import {
  beaconRoundAt,
  verifyProofBundle,
  type RandomProofBundle,
} from '../../../server/draws/protocol/index.ts';
import { GiveawaysService } from '../../../server/giveaways/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { REAL_ROUND, startFakeRelay, type FakeRelay } from '../http-harness.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createJobTable,
  ensureUsers,
  giveawayRow,
  servedEntrants,
  silentLogger,
  userIds,
} from '../support.ts';

let pool: TestDatabase['pool'];
let database: TestDatabase;
let relay: FakeRelay;
const rejections: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  pool = database.pool;
  await createJobTable(pool);
  relay = await startFakeRelay(() => null);
});
afterAll(async () => {
  await relay?.close();
  await database?.drop();
});

function drawService(beacon: DrandRelays | null): Draws {
  return buildDraws({
    pool,
    logger: silentLogger,
    requirements: new TestEvaluator(),
    jobs: new TableJobs(),
    beacon,
    options: { checkRetryDelaysMs: [5], retryBaseMs: 50, leaseMs: 2_000 },
  });
}

function relays(): DrandRelays {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      rejections.push(String((JSON.parse(chunk.toString()) as { msg: string }).msg));
      done();
    },
  });
  return new DrandRelays({ urls: [relay.url], logger: pino({ level: 'error' }, sink), retryDelaysMs: [20] });
}

/** The view as the giveaways service serves it (requirements stubbed: these giveaways have none). */
function giveawaysService(draws: Draws): GiveawaysService {
  return new GiveawaysService({
    pool,
    debug: true,
    requirements: {
      prepareForCreate: () => Promise.resolve([]),
      insertForGiveaway: () => Promise.resolve(undefined),
      copyForGiveaway: () => Promise.resolve(),
      listForGiveaways: () => Promise.resolve(new Map()),
      toView: (r: unknown) => r as RequirementView,
    },
    draws: {
      createCommitment: (tx, id, o) => draws.commitments.create(tx, id, o),
      finalizeManual: (p, id) => draws.manualWinners.finalize(p, id),
    },
  });
}

const owner: Principal = { userId: 42, isAdmin: false, isBanned: false, via: 'init-data' };

async function commitToRealRound(id: string): Promise<void> {
  await pool.query(
    `UPDATE draw_commitments SET beacon = jsonb_build_object('network', 'drand-quicknet',
       'chain_hash', '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971', 'round', $2::int)
     WHERE giveaway_id = $1`,
    [id, REAL_ROUND.round],
  );
}

describe('creating with a beacon', () => {
  it('commits to the first quicknet round at or after ends_at, shown in the public view from creation', async () => {
    await ensureUsers(pool, [42]);
    const draws = drawService(relays());
    const giveaways = giveawaysService(draws);
    const created = await giveaways.create(owner, { title: 'Beacon', duration: 600, winners_count: 1 });
    expect(created.beacon).toEqual({
      network: 'drand-quicknet',
      chain_hash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
      round: beaconRoundAt(new Date(created.ends_at)),
    });
    expect(created).toMatchObject({ entrants_root: null, entrants_count: null });
    expect(created.seed_commitment).toMatch(/^[0-9a-f]{64}$/);

    const plain = await giveaways.create(owner, {
      title: 'No beacon',
      duration: 600,
      winners_count: 1,
      beacon: 'none',
    });
    expect(plain.beacon).toBeNull();
  });

  it('refuses beacon "drand" on a server without relays, and defaults to none there', async () => {
    const giveaways = giveawaysService(drawService(null));
    await expect(
      giveaways.create(owner, { title: 'X', duration: 600, winners_count: 1, beacon: 'drand' }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    const created = await giveaways.create(owner, { title: 'Y', duration: 600, winners_count: 1 });
    expect(created.beacon).toBeNull();
  });
});

describe('drawing with a beacon', () => {
  it('waits in `drawing` while the round is not served (404), then completes with the verified beacon', async () => {
    relay.answer = () => null;
    const draws = drawService(relays());
    const giveaways = giveawaysService(draws);
    const people = userIds(6);
    const id = await createGiveaway(pool, {
      winners: 2,
      reserves: 1,
      participants: people,
      tickets: { [people[0] ?? 0]: 2 },
    });
    await commitToRealRound(id);
    const scheduler = new DrawScheduler({
      closing: draws.closing,
      execution: draws.execution,
      logger: silentLogger,
      pollMs: 100,
    });
    scheduler.start();
    try {
      await expect
        .poll(async () => (await giveawayRow(pool, id))?.status, { timeout: 15_000 })
        .toBe('drawing');
      // Still waiting after several attempts: the relay keeps answering 404.
      await expect.poll(() => relay.requests.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
      const view = await giveaways.get(undefined, id);
      expect(view).toMatchObject({
        status: 'drawing',
        beacon: { round: REAL_ROUND.round },
        entrants_count: 6,
      });
      expect(view.entrants_root).toMatch(/^[0-9a-f]{64}$/);
      const commitment = await draws.proofs.getCommitment(id);
      expect(commitment).toMatchObject({ status: 'drawing', drawn: false, entrants_count: 6 });
      await expect(draws.proofs.getProof(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

      relay.answer = (round) => (round === REAL_ROUND.round ? { status: 200, body: REAL_ROUND } : null);
      await expect
        .poll(async () => (await giveawayRow(pool, id))?.status, { timeout: 15_000 })
        .toBe('completed');
    } finally {
      await scheduler.stop();
    }
    const bundle = (await draws.proofs.getProof(id)) as RandomProofBundle;
    expect(bundle.beacon).toEqual({
      network: 'drand-quicknet',
      chain_hash: expect.any(String),
      ...REAL_ROUND,
    });
    const entrants = await servedEntrants(draws, id);
    const check = verifyProofBundle(bundle, entrants, {
      verifyBeaconSignature: verifyQuicknetSignature,
      published: {
        seed_commitment: bundle.seed_commitment,
        beacon: {
          network: 'drand-quicknet',
          chain_hash: bundle.beacon?.chain_hash ?? '',
          round: REAL_ROUND.round,
        },
      },
    });
    expect(check).toEqual({ ok: true, problems: [], skipped: [] });
    // The root published at close is the one the proof uses.
    expect((await giveaways.get(undefined, id)).entrants_root).toBe(bundle.entrants_root);
  });

  it('never completes on a forged beacon: the rejection is logged and the giveaway keeps waiting', async () => {
    rejections.length = 0;
    relay.answer = () => ({
      status: 200,
      body: { ...REAL_ROUND, signature: 'a' + REAL_ROUND.signature.slice(1) },
    });
    const draws = drawService(relays());
    const id = await createGiveaway(pool, { winners: 1, participants: userIds(3) });
    await commitToRealRound(id);
    expect(await draws.execution.closeAndDraw(id)).toBe('failed');
    expect((await giveawayRow(pool, id))?.status).toBe('drawing');
    expect(rejections).toContain('Rejected a drand beacon that does not verify');
    const run = await pool.query<{ last_error: string }>(
      `SELECT last_error FROM draw_runs WHERE giveaway_id = $1`,
      [id],
    );
    expect(run.rows[0]?.last_error).toMatch(/BeaconUnavailableError: .*rejected/);
    await expect(draws.proofs.getProof(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('waits rather than drawing without the beacon when no relay is configured', async () => {
    const draws = drawService(null);
    const id = await createGiveaway(pool, { winners: 1, participants: userIds(2) });
    await commitToRealRound(id);
    expect(await draws.execution.closeAndDraw(id)).toBe('failed');
    expect((await giveawayRow(pool, id))?.status).toBe('drawing');
    const row = await db.selectOne('draw_runs', { giveaway_id: id }).run(pool);
    expect(row?.last_error).toMatch(/no relay is configured/);
  });
});
