// Rerolls over REST (POST /api/v1/giveaways/:id/winners/:place/reroll): the next reserve takes the place, then
// the same stream continues; prizes move with the place; the proof grows by one entry and still verifies (server
// and SDK verifiers); the new winner's DM is queued in the same transaction. Never a re-draw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDraw } from '../../../client-sdk/src/verify/verify-draw.ts';
import {
  currentWinners,
  verifyProofBundle,
  type RandomProofBundle,
} from '../../../server/draws/protocol/index.ts';
import { planReroll } from '../../../server/draws/rerolls/reroll-plan.ts';
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

let database: TestDatabase;
let http: DrawsHttp;
const evaluator = new TestEvaluator();
let service: ReturnType<typeof makeService>;

beforeAll(async () => {
  database = await createDrawsDatabase();
  await ensureUsers(database.pool, [42, 77, 900]);
  service = makeService(database.pool, evaluator, new TableJobs());
  http = await startDrawsHttp(database.pool, service);
});
afterAll(async () => {
  await http?.close();
  await database?.drop();
});

const creator = () => asUser(http.url, { id: 42 });
const reroll = (as: ReturnType<typeof asUser>, id: string, place: number | string, json: unknown) =>
  as(`/api/v1/giveaways/${id}/winners/${place}/reroll`, { method: 'POST', json });

async function drawn(spec: Parameters<typeof createGiveaway>[1]) {
  const id = await createGiveaway(database.pool, spec);
  expect(await service.execution.closeAndDraw(id)).toBe('completed');
  return { id, bundle: (await service.proofs.getProof(id)) as RandomProofBundle };
}

async function expectVerifies(id: string): Promise<RandomProofBundle> {
  const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
  const entrants = await servedEntrants(service, id);
  expect(verifyProofBundle(bundle, entrants)).toEqual({ ok: true, problems: [], skipped: [] });
  const sdk = await verifyDraw(bundle, entrants);
  expect(sdk.steps.filter((s) => !s.ok)).toEqual([]);
  return bundle;
}

describe('rerolling a winner', () => {
  it('gives the place to the first unused reserve with its prizes, logs it, and queues the new winner’s DM', async () => {
    const { id, bundle: before } = await drawn({
      winners: 2,
      reserves: 2,
      participants: userIds(10),
      prizes: [{ title: 'Stars', quantity: 4 }],
    });
    const holder = Number(before.winners[0]?.user_id);
    const reserve = Number(before.reserves[0]);
    const prizesBefore = (await winRecordsOf(database.pool, id)).filter((r) => r.place === 1);

    const res = await reroll(creator(), id, 1, {
      reason: 'declined',
      note: 'said no',
      replaced_user_id: holder,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      place: 1,
      replaced_user_id: holder,
      by_user_id: reserve,
      reason: 'declined',
      from: 'reserve',
      reserves_left: 1,
      excluded: [],
    });
    expect((await winnersOf(database.pool, id))[0]).toEqual({ place: 1, user_id: reserve, source: 'reroll' });
    const prizesAfter = (await winRecordsOf(database.pool, id)).filter((r) => r.place === 1);
    expect(prizesAfter).toEqual(prizesBefore.map((p) => ({ ...p, user_id: reserve })));

    const after = await expectVerifies(id);
    // Appended, never re-drawn: the initial draw is untouched.
    expect({ w: after.winners, r: after.reserves, x: after.exclusions }).toEqual({
      w: before.winners,
      r: before.reserves,
      x: before.exclusions,
    });
    expect(after.rerolls).toEqual([
      { place: 1, replaced_user_id: holder, by_user_id: reserve, reason: 'declined' },
    ]);

    const log = await database.pool.query(
      `SELECT seq, note, actor_id, source FROM draw_rerolls WHERE giveaway_id = $1`,
      [id],
    );
    expect(log.rows).toEqual([{ seq: 1, note: 'said no', actor_id: '42', source: 'reserve' }]);
    const count = await database.pool.query(`SELECT rerolls_count FROM giveaways WHERE id = $1`, [id]);
    expect(count.rows[0]).toEqual({ rerolls_count: 1 });
    const dm = (await jobsOf(database.pool, id)).filter(
      (j) => j.name === 'notify-winner' && j.data.user_id === reserve,
    );
    expect(dm).toHaveLength(1);
    expect(dm[0]?.data).toMatchObject({ place: 1, reroll: true, prizes: [{ title: 'Stars', quantity: 2 }] });

    // The same click again names a holder that is gone: refused, nothing changes.
    const again = await reroll(creator(), id, 1, { reason: 'declined', replaced_user_id: holder });
    expect(again.status).toBe(409);
    expect(((await service.proofs.getProof(id)) as RandomProofBundle).rerolls).toHaveLength(1);
  });

  it('continues the same stream once reserves are used up, excluding an ineligible pick publicly', async () => {
    const { id, bundle } = await drawn({
      winners: 1,
      reserves: 1,
      participants: userIds(12),
      requirements: ['premium'],
    });
    const first = await reroll(creator(), id, 1, { reason: 'unclaimed' });
    expect(await first.json()).toMatchObject({ from: 'reserve', by_user_id: Number(bundle.reserves[0]) });

    // The stream's next pick, as a verifier would find it; the requirement check now fails for that user.
    const entrants = await servedEntrants(service, id);
    const { freezeEntrants } = await import('../../../server/draws/protocol/index.ts');
    const next = await planReroll({
      bundle: (await service.proofs.getProof(id)) as RandomProofBundle,
      entrants: freezeEntrants(entrants),
      place: 1,
      reason: 'ineligible',
      decide: () => Promise.resolve({ eligible: true, reason: null }),
    });
    const unlucky = Number(next.reroll.by_user_id);
    evaluator.failing.add(unlucky);

    const second = await reroll(creator(), id, 1, { reason: 'ineligible' });
    const body = (await second.json()) as any;
    expect(body).toMatchObject({
      from: 'stream',
      reserves_left: 0,
      excluded: [{ user_id: unlucky, reason: 'not_subscribed' }],
    });
    expect(body.by_user_id).not.toBe(unlucky);
    const after = await expectVerifies(id);
    expect(after.exclusions.at(-1)).toEqual({ user_id: unlucky, reason: 'not_subscribed' });
    expect(currentWinners(after)).toEqual([{ place: 1, user_id: body.by_user_id }]);
    expect((await winnersOf(database.pool, id))[0]).toMatchObject({
      user_id: body.by_user_id,
      source: 'reroll',
    });
  });

  it('refuses strangers and bad input, lets an admin reroll, and says when nobody is left', async () => {
    const { id } = await drawn({ winners: 2, reserves: 0, participants: userIds(2) });
    expect((await reroll(asUser(http.url, { id: 77 }), id, 1, { reason: 'declined' })).status).toBe(403);
    expect((await reroll(creator(), id, 1, { reason: 'bored' })).status).toBe(400);
    expect((await reroll(creator(), id, 0, { reason: 'declined' })).status).toBe(400);
    expect((await reroll(creator(), id, 3, { reason: 'declined' })).status).toBe(404);
    const none = await reroll(asUser(http.url, { id: 900 }), id, 1, { reason: 'other' });
    expect(none.status).toBe(409);
    expect(((await none.json()) as any).error).toMatch(/No eligible entrant is left/);

    const open = await createGiveaway(database.pool, {
      winners: 1,
      participants: userIds(3),
      endsInMs: 60_000,
    });
    expect((await reroll(creator(), open, 1, { reason: 'declined' })).status).toBe(409);

    const { id: handed } = await drawn({
      winners: 1,
      reserves: 1,
      participants: userIds(4),
      prizes: [{ title: 'Gift' }],
    });
    await database.pool.query(
      `UPDATE win_records SET status = 'distributed', received_at = now() WHERE giveaway_id = $1`,
      [handed],
    );
    const late = await reroll(asUser(http.url, { id: 900 }), handed, 1, { reason: 'declined' });
    expect(late.status).toBe(409);
    expect(((await late.json()) as any).error).toMatch(/already handed out/);
  });
});
