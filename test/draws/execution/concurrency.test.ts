import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProofBundle } from '../../../server/draws/protocol/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  makeService,
  passDrawLease,
  servedEntrants,
  userIds,
  winnersOf,
} from '../support.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createDrawsDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('several nodes processing due work at once', () => {
  it('never draws a giveaway twice: winners unique, one proof, one set of jobs', async () => {
    const evaluator = new TestEvaluator();
    const jobs = new TableJobs();
    // Two services: two nodes with their own runners and leases, one database.
    const nodes = [makeService(db.pool, evaluator, jobs), makeService(db.pool, evaluator, jobs)];
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const people = userIds(15);
      for (const p of people.slice(0, 5)) evaluator.failing.add(p);
      ids.push(
        await createGiveaway(db.pool, {
          winners: 3,
          participants: people,
          requirements: i % 2 === 0 ? ['premium'] : [],
        }),
      );
    }
    const runs = await Promise.all([
      nodes[0]?.execution.processDue(),
      nodes[1]?.execution.processDue(),
      nodes[0]?.execution.processDue(),
      nodes[1]?.execution.processDue(),
    ]);
    // Every giveaway closed exactly once and completed exactly once across all runs.
    const sum = (k: 'closed' | 'completed') => runs.reduce((n, r) => n + (r?.[k] ?? 0), 0);
    expect(sum('closed')).toBe(6);
    expect(sum('completed')).toBe(6);

    for (const id of ids) {
      const winners = await winnersOf(db.pool, id);
      expect(winners).toHaveLength(3);
      expect(new Set(winners.map((w) => w.user_id)).size).toBe(3);
      const proofs = await db.pool.query(
        `SELECT count(*)::int AS n FROM draw_proofs WHERE giveaway_id = $1`,
        [id],
      );
      expect(proofs.rows[0].n).toBe(1);
      const winnerJobs = await db.pool.query(
        `SELECT count(*)::int AS n FROM test_jobs WHERE name = 'notify-winner' AND data->>'giveaway_id' = $1`,
        [id],
      );
      expect(winnerJobs.rows[0].n).toBe(3);
      const bundle = await nodes[0]?.proofs.getProof(id);
      if (!bundle) throw new Error('no proof');
      expect(verifyProofBundle(bundle, await servedEntrants(nodes[1] as never, id)).ok).toBe(true);
    }
    const leftovers = await db.pool.query(`SELECT count(*)::int AS n FROM draw_runs`);
    expect(leftovers.rows[0].n).toBe(0);
  });

  it('lets one node take over a draw whose lease expired (its node died), with the same result', async () => {
    const evaluator = new TestEvaluator();
    const a = makeService(db.pool, evaluator, new TableJobs(), { leaseMs: 300 });
    const b = makeService(db.pool, evaluator, new TableJobs(), { leaseMs: 300 });
    const people = userIds(10);
    const id = await createGiveaway(db.pool, { winners: 2, participants: people, requirements: ['premium'] });
    await a.closing.closeDue();
    // Node A claims the draw and dies before running it: nothing renews its lease.
    const claimed = await db.pool.query(
      `UPDATE draw_runs SET lease_until = now() + interval '300 milliseconds', lease_token = gen_random_uuid()
       WHERE giveaway_id = $1 RETURNING giveaway_id`,
      [id],
    );
    expect(claimed.rowCount).toBe(1);
    expect((await b.execution.runDueDraws()).completed).toBe(0);
    const plan = await a.execution.runner.plan(id);
    await passDrawLease(db.pool, id); // A's lease runs out
    expect((await b.execution.runDueDraws()).completed).toBe(1);
    expect((await winnersOf(db.pool, id)).map((w) => w.user_id)).toEqual(
      plan.bundle.winners.map((w) => w.user_id),
    );
  });
});
