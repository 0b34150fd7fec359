import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProofBundle, type RandomProofBundle } from '../../../server/draws/protocol/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  giveawayRow,
  jobsOf,
  makeService,
  passDrawLease,
  servedEntrants,
  userIds,
  winRecordsOf,
  winnerIds,
  winnersOf,
} from '../support.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createDrawsDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('closing a giveaway at ends_at', () => {
  it('draws winners in place order, gives prizes by the distribution rule, and publishes a proof that verifies', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const people = userIds(20);
    const id = await createGiveaway(db.pool, {
      winners: 3,
      participants: people,
      prizes: [{ title: 'A' }, { title: 'B', quantity: 2 }],
    });

    expect(await service.execution.closeAndDraw(id)).toBe('completed');

    const row = await giveawayRow(db.pool, id);
    expect(row?.status).toBe('completed');
    expect(row?.finished_at).toBeInstanceOf(Date);
    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
    const winners = await winnersOf(db.pool, id);
    expect(winners.map((w) => w.user_id)).toEqual(winnerIds(bundle));
    expect(winners.map((w) => w.place)).toEqual([1, 2, 3]);
    expect(new Set(winners.map((w) => w.user_id)).size).toBe(3);
    // n=3, A×1, B×2 → A→w1; B→w2, w3.
    expect(await winRecordsOf(db.pool, id)).toEqual([
      { place: 1, user_id: winners[0]?.user_id, title: 'A', quantity: 1 },
      { place: 2, user_id: winners[1]?.user_id, title: 'B', quantity: 1 },
      { place: 3, user_id: winners[2]?.user_id, title: 'B', quantity: 1 },
    ]);

    const entrants = await servedEntrants(service, id, 7);
    expect(entrants).toHaveLength(20);
    expect(verifyProofBundle(bundle, entrants)).toMatchObject({ ok: true, problems: [] });
    expect(bundle.entrants_count).toBe(20);

    const jobs = await jobsOf(db.pool, id);
    expect(jobs.filter((j) => j.name === 'notify-winner').map((j) => j.singleton_key)).toEqual(
      winners.map((w) => `${id}:winner:${w.user_id}`),
    );
    expect(jobs.find((j) => j.name === 'notify-creator')?.data).toMatchObject({
      kind: 'completed',
      winners: 3,
    });
  });

  it('weighs each entrant 1 + granted tickets, and the proof shows it', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const [a, b, c] = userIds(3) as [number, number, number];
    const id = await createGiveaway(db.pool, { winners: 1, participants: [a, b, c], tickets: { [b]: 4 } });
    expect(await service.execution.closeAndDraw(id)).toBe('completed');

    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
    expect(bundle.total_weight).toBe(1 + 5 + 1);
    const entrants = await servedEntrants(service, id);
    expect(entrants).toEqual([
      { user_id: a, weight: 1 },
      { user_id: b, weight: 5 },
      { user_id: c, weight: 1 },
    ]);
    expect(verifyProofBundle(bundle, entrants).ok).toBe(true);
    // Tampering with a weight breaks verification: the weights are part of what is proven.
    const forged = entrants.map((e) => (e.user_id === b ? { ...e, weight: 1 } : e));
    expect(verifyProofBundle(bundle, forged).ok).toBe(false);
  });

  it('publishes ineligible picks as exclusions with a reason, and the bundle still verifies', async () => {
    const evaluator = new TestEvaluator();
    evaluator.shape = 'evaluation';
    const service = makeService(db.pool, evaluator, new TableJobs());
    const people = userIds(30);
    for (const p of people.slice(0, 20)) evaluator.failing.add(p);
    const id = await createGiveaway(db.pool, {
      winners: 4,
      reserves: 1,
      participants: people,
      requirements: ['premium'],
    });

    expect(await service.execution.closeAndDraw(id)).toBe('completed');
    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
    expect(bundle.exclusions.length).toBeGreaterThan(0);
    for (const e of bundle.exclusions) {
      expect(evaluator.failing.has(Number(e.user_id))).toBe(true);
      expect(e.reason).toBe('not_subscribed');
    }
    expect(winnerIds(bundle).every((w) => !evaluator.failing.has(w))).toBe(true);
    expect(bundle.reserves).toHaveLength(1);
    // Checked in pick order, and only until enough passed: every check is an exclusion, a winner or a reserve.
    expect(evaluator.calls).toHaveLength(bundle.exclusions.length + 5);
    expect(verifyProofBundle(bundle, await servedEntrants(service, id)).ok).toBe(true);
  });

  it('retries unknown answers, then excludes the pick as check_unavailable', async () => {
    const evaluator = new TestEvaluator();
    const service = makeService(db.pool, evaluator, new TableJobs());
    const people = userIds(5);
    for (const p of people) evaluator.unknown.add(p);
    const lucky = people[2] as number;
    evaluator.unknown.delete(lucky);
    const id = await createGiveaway(db.pool, { winners: 1, participants: people, requirements: ['premium'] });

    expect(await service.execution.closeAndDraw(id)).toBe('completed');
    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
    expect(winnerIds(bundle)).toEqual([lucky]);
    expect(bundle.exclusions.every((e) => e.reason === 'check_unavailable')).toBe(true);
    // Three attempts (two retries) per undecidable pick.
    expect(evaluator.calls.filter((c) => c !== lucky)).toHaveLength(bundle.exclusions.length * 3);
  });

  it('completes with no winners and no winner jobs when nobody entered', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const id = await createGiveaway(db.pool, { winners: 3, prizes: [{ title: 'A' }] });
    expect(await service.execution.closeAndDraw(id)).toBe('completed');
    expect(await winnersOf(db.pool, id)).toEqual([]);
    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
    expect(bundle).toMatchObject({ entrants_count: 0, winners: [], entrants_root: '0'.repeat(64) });
    expect(verifyProofBundle(bundle, []).ok).toBe(true);
    const jobs = await jobsOf(db.pool, id);
    expect(jobs.map((j) => j.name)).toEqual(['notify-creator']);
    expect(jobs[0]?.data).toMatchObject({ kind: 'completed', winners: 0 });
  });

  it('draws fewer winners when fewer entered than there are places', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const people = userIds(2);
    const id = await createGiveaway(db.pool, {
      winners: 5,
      participants: people,
      prizes: [{ title: 'X', quantity: 3 }],
    });
    expect(await service.execution.closeAndDraw(id)).toBe('completed');
    const winners = await winnersOf(db.pool, id);
    expect(winners.map((w) => w.user_id).sort()).toEqual([...people].sort());
    // 3 units over 2 winners: base 1 each, the first gets the remainder.
    expect((await winRecordsOf(db.pool, id)).map((r) => [r.place, r.quantity])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('excludes an entrant whose account was deleted after the freeze (user_unknown) instead of failing', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const [kept, gone] = userIds(2) as [number, number];
    const id = await createGiveaway(db.pool, { winners: 2, participants: [kept, gone] });
    expect(await service.closing.closeDue()).toMatchObject({ closed: 1 });
    await db.pool.query(`DELETE FROM users WHERE id = $1`, [gone]);
    expect(await service.execution.runDueDraws()).toMatchObject({ completed: 1 });
    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
    expect(winnerIds(bundle)).toEqual([kept]);
    expect(bundle.exclusions).toEqual([{ user_id: gone, reason: 'user_unknown' }]);
    expect(verifyProofBundle(bundle, await servedEntrants(service, id)).ok).toBe(true);
  });

  it('does not close before ends_at, and closing twice draws once', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const future = await createGiveaway(db.pool, { winners: 1, participants: userIds(2), endsInMs: 60_000 });
    expect(await service.execution.closeAndDraw(future)).toBe('not_due');
    expect((await giveawayRow(db.pool, future))?.status).toBe('active');

    const id = await createGiveaway(db.pool, { winners: 1, participants: userIds(3) });
    expect(await service.execution.closeAndDraw(id)).toBe('completed');
    expect(await service.execution.closeAndDraw(id)).toBe('completed');
    expect(await winnersOf(db.pool, id)).toHaveLength(1);
  });

  it('keeps the server seed secret until the draw is done', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const id = await createGiveaway(db.pool, { winners: 1, participants: userIds(2), endsInMs: 60_000 });
    await expect(service.proofs.getProof(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.proofs.listEntrants(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('crash safety', () => {
  it('writes no job when the closing transaction rolls back, and a rerun completes with the same winners', async () => {
    const jobs = new TableJobs();
    const service = makeService(db.pool, new TestEvaluator(), jobs, { retryBaseMs: 1 });
    const id = await createGiveaway(db.pool, { winners: 2, participants: userIds(10) });

    jobs.failOn = 'notify-creator'; // after the winner jobs were written in the same transaction
    expect(await service.execution.closeAndDraw(id)).toBe('failed');
    expect((await giveawayRow(db.pool, id))?.status).toBe('active');
    expect(await winnersOf(db.pool, id)).toEqual([]);
    expect(await jobsOf(db.pool, id)).toEqual([]);

    const plan = await service.execution.runner.plan(id);
    jobs.failOn = null;
    await passDrawLease(db.pool, id); // the failed draw's retry delay
    const report = await service.execution.processDue();
    expect(report.completed).toBe(1);
    expect((await winnersOf(db.pool, id)).map((w) => w.user_id)).toEqual(winnerIds(plan.bundle));
    expect((await jobsOf(db.pool, id)).map((j) => j.name)).toEqual([
      'notify-winner',
      'notify-winner',
      'notify-creator',
    ]);
  });

  it('resumes a draw that crashed mid-check: same winners, and recorded checks are not asked again', async () => {
    const evaluator = new TestEvaluator();
    const service = makeService(db.pool, evaluator, new TableJobs(), { checkConcurrency: 1 });
    const people = userIds(40);
    for (const p of people.filter((_, i) => i % 2 === 0)) evaluator.failing.add(p);
    const id = await createGiveaway(db.pool, { winners: 5, participants: people, requirements: ['premium'] });

    evaluator.crashAfter = 3;
    expect(await service.execution.closeAndDraw(id)).toBe('failed');
    expect((await giveawayRow(db.pool, id))?.closed_at).toBeInstanceOf(Date);
    const checkedBefore = [...evaluator.calls];
    expect(checkedBefore).toHaveLength(3);

    // A recorded decision stands even if the answer changes: flip one already-checked user.
    const flipped = checkedBefore[0] as number;
    const wasFailing = evaluator.failing.has(flipped);
    if (wasFailing) evaluator.failing.delete(flipped);
    else evaluator.failing.add(flipped);

    evaluator.crashAfter = null;
    await passDrawLease(db.pool, id); // the crashed draw's retry delay
    expect((await service.execution.processDue()).completed).toBe(1);
    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
    const excludedFlipped = bundle.exclusions.some((e) => Number(e.user_id) === flipped);
    expect(excludedFlipped).toBe(wasFailing);
    // No user was asked twice.
    expect(new Set(evaluator.calls).size).toBe(evaluator.calls.length);
    expect(verifyProofBundle(bundle, await servedEntrants(service, id)).ok).toBe(true);
  });
});
