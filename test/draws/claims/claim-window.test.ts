// Claim windows over REST and at the deadline: a winner claims from the Mini App route; at the deadline an
// unclaimed place passes to the next reserve of the published proof (a reroll with reason `unclaimed` that still
// verifies), the new holder gets a window of their own and one DM, and with no reserve left the place stays
// empty. Claims racing the deadline, and two scans racing each other, have exactly one outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as db from 'zapatos/db';
import { verifyDraw } from '../../../client-sdk/src/verify/verify-draw.ts';
import type { WebhookPublisher } from '../../../server/draws/index.ts';
import { verifyProofBundle, type RandomProofBundle } from '../../../server/draws/protocol/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import { asUser } from '../../support/telegram-user.ts';
import { startDrawsHttp, type DrawsHttp } from '../http-harness.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  ensureUsers,
  jobsOf,
  makeService,
  servedEntrants,
  userIds,
  winRecordsOf,
  winnersOf,
} from '../support.ts';
import { passClaimDeadline } from '../../support/claim-deadline.ts';

const HOUR = 3600;

/** Webhook events land in a test table through the caller's transaction, as the real publisher's do. */
const tableWebhooks: WebhookPublisher = async (tx: db.Queryable, type, payload) => {
  await tx.query(`INSERT INTO test_webhooks (type, payload) VALUES ($1, $2)`, [
    type,
    JSON.stringify(payload),
  ]);
};

let database: TestDatabase;
let http: DrawsHttp;
let service: ReturnType<typeof makeService>;

beforeAll(async () => {
  database = await createDrawsDatabase();
  await database.pool.query(
    `CREATE TABLE test_webhooks (id serial PRIMARY KEY, type text NOT NULL, payload jsonb NOT NULL)`,
  );
  await ensureUsers(database.pool, [42, 77, 900]);
  service = makeService(database.pool, new TestEvaluator(), new TableJobs(), {}, tableWebhooks);
  http = await startDrawsHttp(database.pool, service);
});
afterAll(async () => {
  await http?.close();
  await database?.drop();
});

async function drawn(spec: Parameters<typeof createGiveaway>[1], claimWindow: number | null = HOUR) {
  const id = await createGiveaway(database.pool, spec);
  await database.pool.query(`UPDATE giveaways SET claim_window = $2 WHERE id = $1`, [id, claimWindow]);
  expect(await service.execution.closeAndDraw(id)).toBe('completed');
  return { id, bundle: (await service.proofs.getProof(id)) as RandomProofBundle };
}

async function claimRows(id: string) {
  const res = await database.pool.query<{
    place: number;
    user_id: string;
    deadline_in: number | null;
    claimed: boolean;
  }>(
    `SELECT place, user_id, extract(epoch FROM claim_deadline - now())::int AS deadline_in,
       claimed_at IS NOT NULL AS claimed
     FROM winners WHERE giveaway_id = $1 ORDER BY place`,
    [id],
  );
  return res.rows.map((r) => ({ ...r, user_id: Number(r.user_id) }));
}

async function webhooksOf(id: string) {
  const res = await database.pool.query<{ type: string; payload: Record<string, unknown> }>(
    `SELECT type, payload FROM test_webhooks WHERE payload->>'giveaway_id' = $1 ORDER BY id`,
    [id],
  );
  return res.rows;
}

async function eventsOf(id: string) {
  const res = await database.pool.query(
    `SELECT seq, kind, place, previous_user_id::int AS previous, user_id::int AS user_id, reason
     FROM winner_events WHERE giveaway_id = $1 ORDER BY seq`,
    [id],
  );
  return res.rows;
}

async function expectVerifies(id: string): Promise<RandomProofBundle> {
  const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
  const entrants = await servedEntrants(service, id);
  expect(verifyProofBundle(bundle, entrants)).toEqual({ ok: true, problems: [], skipped: [] });
  const sdk = await verifyDraw(bundle, entrants);
  expect(sdk.steps.filter((s) => !s.ok)).toEqual([]);
  return bundle;
}

const claimAs = (userId: number, id: string) =>
  asUser(http.url, { id: userId })(`/api/v1/giveaways/${id}/claim`, { method: 'POST' });

describe('claiming a place', () => {
  it('gives every drawn winner a window, and the Mini App route claims the caller’s place once', async () => {
    const { id, bundle } = await drawn({ winners: 2, reserves: 1, participants: userIds(6) });
    const rows = await claimRows(id);
    expect(rows.map((r) => r.claimed)).toEqual([false, false]);
    for (const r of rows) expect(r.deadline_in).toBeGreaterThan(HOUR - 30);

    const holder = Number(bundle.winners[1]?.user_id);
    const res = await claimAs(holder, id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ giveaway_id: id, place: 2, status: 'claimed' });
    const again = await claimAs(holder, id);
    expect(await again.json()).toMatchObject({ place: 2, status: 'already_claimed' });
    expect((await claimRows(id)).map((r) => r.claimed)).toEqual([false, true]);

    // Only the holder of a place can claim; a reserve holds none yet.
    const reserve = await claimAs(Number(bundle.reserves[0]), id);
    expect(reserve.status).toBe(403);
    expect(await eventsOf(id)).toEqual([
      { seq: 1, kind: 'claimed', place: 2, previous: null, user_id: holder, reason: null },
    ]);
    expect(await webhooksOf(id)).toEqual([
      { type: 'giveaway.claimed', payload: { giveaway_id: id, place: 2, user_id: holder } },
    ]);
    // A claimed place is never passed on, even once its deadline is long gone.
    await passClaimDeadline(database.pool, id, [2]);
    expect(await service.claims.expire(id, 2)).toBe('skipped');
  });

  it('refuses a claim after the deadline, and on a giveaway without a window', async () => {
    const { id, bundle } = await drawn({ winners: 1, participants: userIds(3) });
    await passClaimDeadline(database.pool, id, [1]);
    const late = await claimAs(Number(bundle.winners[0]?.user_id), id);
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'CONFLICT' });

    const none = await drawn({ winners: 1, participants: userIds(3) }, null);
    expect((await claimRows(none.id))[0]?.deadline_in).toBeNull();
    const res = await claimAs(Number(none.bundle.winners[0]?.user_id), none.id);
    expect(res.status).toBe(409);
    expect(await service.claims.expireDue()).toMatchObject({ rerolled: 0 });
  });
});

describe('the deadline', () => {
  it('passes an unclaimed place to the next reserves in proof order, each with a window and one DM', async () => {
    const { id, bundle } = await drawn({
      winners: 2,
      reserves: 2,
      participants: userIds(10),
      prizes: [{ title: 'Stars', quantity: 4 }],
    });
    const [first, second] = bundle.winners.map((w) => Number(w.user_id));
    const [r1, r2] = bundle.reserves.map(Number);
    const prizesBefore = (await winRecordsOf(database.pool, id)).filter((r) => r.place === 1);

    await passClaimDeadline(database.pool, id, [1]);
    expect(await service.claims.expireDue()).toEqual({ rerolled: 1, vacated: 0, skipped: 0, failed: 0 });
    expect((await winnersOf(database.pool, id))[0]).toEqual({ place: 1, user_id: r1, source: 'reroll' });
    const rows = await claimRows(id);
    expect(rows[0]).toMatchObject({ user_id: r1, claimed: false });
    expect(rows[0]?.deadline_in).toBeGreaterThan(HOUR - 30);
    expect((await winRecordsOf(database.pool, id)).filter((r) => r.place === 1)).toEqual(
      prizesBefore.map((p) => ({ ...p, user_id: r1 })),
    );

    // The new holder lets it pass too: the place goes to the second reserve; then place 2 runs out of luck.
    await passClaimDeadline(database.pool, id, [1]);
    await passClaimDeadline(database.pool, id, [2]);
    expect(await service.claims.expireDue()).toEqual({ rerolled: 1, vacated: 1, skipped: 0, failed: 0 });
    expect(await winnersOf(database.pool, id)).toEqual([{ place: 1, user_id: r2, source: 'reroll' }]);

    const after = await expectVerifies(id);
    expect(after.rerolls).toEqual([
      { place: 1, replaced_user_id: first, by_user_id: r1, reason: 'unclaimed' },
      { place: 1, replaced_user_id: r1, by_user_id: r2, reason: 'unclaimed' },
    ]);
    const log = await database.pool.query(
      `SELECT seq, reason, source, actor_id FROM draw_rerolls WHERE giveaway_id = $1 ORDER BY seq`,
      [id],
    );
    expect(log.rows).toEqual([
      { seq: 1, reason: 'unclaimed', source: 'reserve', actor_id: null },
      { seq: 2, reason: 'unclaimed', source: 'reserve', actor_id: null },
    ]);
    const dms = (await jobsOf(database.pool, id)).filter((j) => j.name === 'notify-winner');
    expect(dms.filter((j) => j.data.reroll).map((j) => [j.data.user_id, j.data.place])).toEqual([
      [r1, 1],
      [r2, 1],
    ]);
    expect((await eventsOf(id)).map((e) => [e.kind, e.place, e.previous, e.user_id, e.reason])).toEqual([
      ['changed', 1, first, r1, 'unclaimed'],
      ['changed', 1, r1, r2, 'unclaimed'],
      ['changed', 2, second, null, 'unclaimed'],
    ]);
    expect((await webhooksOf(id)).map((w) => w.payload)).toEqual([
      { giveaway_id: id, place: 1, previous_user_id: first, user_id: r1, reason: 'unclaimed' },
      { giveaway_id: id, place: 1, previous_user_id: r1, user_id: r2, reason: 'unclaimed' },
      { giveaway_id: id, place: 2, previous_user_id: second, user_id: null, reason: 'unclaimed' },
    ]);
    // Nothing is due any more: a later pass changes nothing.
    expect(await service.claims.expireDue()).toMatchObject({ rerolled: 0, vacated: 0 });
  });

  it('with one reserve left, gives it to the first place due and leaves the second empty', async () => {
    const { id, bundle } = await drawn({ winners: 2, reserves: 1, participants: userIds(8) });
    await passClaimDeadline(database.pool, id, [2]);
    await passClaimDeadline(database.pool, id, [1]);
    expect(await service.claims.expireDue()).toEqual({ rerolled: 1, vacated: 1, skipped: 0, failed: 0 });
    const holders = await winnersOf(database.pool, id);
    expect(holders).toHaveLength(1);
    expect(holders[0]?.user_id).toBe(Number(bundle.reserves[0]));
    const after = await expectVerifies(id);
    expect(after.rerolls).toHaveLength(1);
    // An owner's reroll cannot fill an empty place from a proof that still names its last holder.
    const empty = holders[0]?.place === 1 ? 2 : 1;
    const res = await asUser(http.url, { id: 42 })(`/api/v1/giveaways/${id}/winners/${empty}/reroll`, {
      method: 'POST',
      json: { reason: 'other' },
    });
    expect(res.status).toBe(409);
  });

  it('with no reserves, leaves the place empty and says so', async () => {
    const { id, bundle } = await drawn({
      winners: 1,
      participants: userIds(4),
      prizes: [{ title: 'Stars', quantity: 1 }],
    });
    await passClaimDeadline(database.pool, id, [1]);
    expect(await service.claims.expire(id, 1)).toBe('vacated');
    expect(await winnersOf(database.pool, id)).toEqual([]);
    expect(await winRecordsOf(database.pool, id)).toEqual([]);
    expect(await eventsOf(id)).toMatchObject([
      { kind: 'changed', place: 1, previous: Number(bundle.winners[0]?.user_id), user_id: null },
    ]);
    // The proof is untouched: nobody replaced the winner it names.
    expect((await expectVerifies(id)).rerolls).toEqual([]);
    expect((await jobsOf(database.pool, id)).filter((j) => j.data.reroll)).toEqual([]);
  });
});

describe('extending a window', () => {
  it('lets the creator move one holder’s deadline once, which the scan then respects', async () => {
    const { id } = await drawn({ winners: 1, reserves: 1, participants: userIds(5) });
    const extend = (as: number, json?: unknown) =>
      asUser(http.url, { id: as })(`/api/v1/giveaways/${id}/winners/1/extend-claim`, {
        method: 'POST',
        ...(json === undefined ? {} : { json }),
      });
    expect((await extend(77)).status).toBe(403);
    expect((await extend(42, { seconds: 60 })).status).toBe(400);
    const res = await extend(42, { seconds: 2 * HOUR });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { claim_deadline: string };
    expect(Date.parse(body.claim_deadline) - Date.now()).toBeGreaterThan(3 * HOUR * 1000 - 60_000);
    expect((await extend(42)).status).toBe(409);
    expect(await service.claims.expireDue()).toMatchObject({ rerolled: 0 });
  });
});

describe('races at the deadline', () => {
  it('decides a claim racing the deadline one way only, however they interleave', async () => {
    // Start offsets around the deadline (+200 ms): early rounds claim in time, late ones find it passed, the
    // ones in between race the scan for the locks.
    for (const offsetMs of [0, 150, 185, 195, 200, 205, 215, 300]) {
      const { id, bundle } = await drawn({ winners: 1, reserves: 1, participants: userIds(4) });
      const holder = Number(bundle.winners[0]?.user_id);
      // The deadline falls between the two requests' starts, so either may lock first.
      await database.pool.query(
        `UPDATE winners SET claim_deadline = clock_timestamp() + interval '200 milliseconds'
         WHERE giveaway_id = $1`,
        [id],
      );
      // Not synchronisation: the race starts at a chosen offset from the real-time deadline (the point here).
      await new Promise((r) => setTimeout(r, offsetMs));
      const [claim, expiry] = await Promise.all([
        service.claims.claim({ userId: holder, isAdmin: false }, id).then(
          () => 'claimed',
          (err: { code?: string }) => err.code ?? 'error',
        ),
        service.claims.expire(id, 1),
      ]);
      const rows = await claimRows(id);
      if (claim === 'claimed') {
        expect(expiry).toBe('skipped');
        expect(rows).toMatchObject([{ user_id: holder, claimed: true }]);
      } else {
        expect(claim).toBe('CONFLICT');
        // The scan may have run before the deadline (skipped): then the next pass does it, once.
        if (expiry === 'skipped') expect(await service.claims.expire(id, 1)).toBe('rerolled');
        expect(rows.length === 0 || rows[0]?.user_id !== holder || !rows[0]?.claimed).toBe(true);
        expect((await claimRows(id))[0]).toMatchObject({ user_id: Number(bundle.reserves[0]) });
      }
      const changes = (await eventsOf(id)).filter((e) => e.kind === 'changed');
      const claims = (await eventsOf(id)).filter((e) => e.kind === 'claimed');
      expect(changes.length + claims.length).toBe(1);
    }
  });

  it('rerolls a due place once when scans on several nodes run together', async () => {
    const { id, bundle } = await drawn({ winners: 3, reserves: 3, participants: userIds(12) });
    await passClaimDeadline(database.pool, id);
    const reports = await Promise.all([1, 2, 3].map(() => service.claims.expireDue()));
    expect(reports.reduce((n, r) => n + r.rerolled, 0)).toBe(3);
    expect(reports.reduce((n, r) => n + r.failed, 0)).toBe(0);
    const after = await expectVerifies(id);
    expect(after.rerolls.map((r) => r.by_user_id)).toEqual(bundle.reserves);
    const dms = (await jobsOf(database.pool, id)).filter((j) => j.data.reroll);
    expect(dms).toHaveLength(3);
  });
});
