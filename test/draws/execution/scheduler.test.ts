import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrawScheduler, type SchedulerStep } from '../../../server/draws/execution/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  makeService,
  silentLogger,
  userIds,
} from '../support.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createDrawsDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('DrawScheduler', () => {
  it('processes overdue giveaways at start and closes a new one within ~1 s of its ends_at', async () => {
    const draws = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const overdue = await createGiveaway(db.pool, {
      winners: 1,
      participants: userIds(3),
      endsInMs: -60_000,
    });
    const soon = await createGiveaway(db.pool, { winners: 2, participants: userIds(5), endsInMs: 1_000 });
    const errors: SchedulerStep[] = [];
    const scheduler = new DrawScheduler({
      closing: draws.closing,
      execution: draws.execution,
      logger: silentLogger,
      pollMs: 1_000,
      onError: (step) => errors.push(step),
    });
    scheduler.start();
    try {
      const lag = async () => {
        const res = await db.pool.query<{ status: string; lag_ms: number }>(
          `SELECT status, extract(epoch FROM (finished_at - ends_at)) * 1000 AS lag_ms FROM giveaways WHERE id = $1`,
          [soon],
        );
        const row = res.rows[0];
        return row?.status === 'completed' ? Number(row.lag_ms) : undefined;
      };
      await expect.poll(lag, { timeout: 5_000, interval: 25 }).toBeDefined();
      const lagMs = (await lag()) ?? NaN;
      expect(lagMs).toBeGreaterThanOrEqual(0);
      expect(lagMs).toBeLessThan(1_500);
      console.info(`scheduler closed and drew ${lagMs.toFixed(0)} ms after ends_at`);
      const first = await db.pool.query(`SELECT status FROM giveaways WHERE id = $1`, [overdue]);
      expect(first.rows[0].status).toBe('completed');
    } finally {
      await scheduler.stop();
    }
    // stop() waits for the passes in flight, so every step that ran has reported by now.
    expect(errors).toEqual([]);
  });

  it('reads the next due time while a closed giveaway waits for its draw (no "cannot subtract infinite timestamps")', async () => {
    const draws = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const id = await createGiveaway(db.pool, { winners: 1, participants: userIds(2), endsInMs: -1_000 });
    // Closing queues a draw run nobody has claimed yet: its lease_until is the column default, -infinity.
    await draws.closing.closeDue();
    const run = await db.pool.query(
      `SELECT lease_until::text AS lease FROM draw_runs WHERE giveaway_id = $1`,
      [id],
    );
    expect(run.rows[0].lease).toBe('-infinity');

    const inMs = await draws.execution.nextDueInMs();

    expect(inMs).not.toBeNull();
    expect(inMs).toBeLessThanOrEqual(0);
    await draws.execution.runDueDraws();
  });

  it('reports its own failed steps through onError, keeps going and stops cleanly', async () => {
    let calls = 0;
    const closing = {
      closeDue: () => {
        calls++;
        return calls === 1
          ? Promise.reject(new Error('database hiccup'))
          : Promise.resolve({ activated: 0, closed: 0, pending: 0, fallbacks: 0 });
      },
    };
    const execution = {
      runDueDraws: () => Promise.resolve({ completed: 0, skipped: 0, failed: 0 }),
      nextDueInMs: () => Promise.reject(new Error('cannot read due time')),
    };
    const errors: Array<[SchedulerStep, string]> = [];
    const scheduler = new DrawScheduler({
      closing,
      execution,
      logger: silentLogger,
      pollMs: 50,
      onError: (step, err) => errors.push([step, (err as Error).message]),
    });
    scheduler.start();
    await expect.poll(() => calls, { timeout: 2_000, interval: 10 }).toBeGreaterThanOrEqual(3);
    await scheduler.stop();
    expect(errors[0]).toEqual(['close', 'database hiccup']);
    expect(errors).toContainEqual(['next-due', 'cannot read due time']);
    // Stopped: a nudge must not start a pass. stop() waits for any pass in flight, so it is the fence.
    const after = calls;
    scheduler.nudge();
    await scheduler.stop();
    expect(calls).toBe(after);
  });
});
