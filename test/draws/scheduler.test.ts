import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrawScheduler } from '../../server/draws/scheduler.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createJobTable,
  makeService,
  silentLogger,
  userIds,
} from './support.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await createJobTable(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('DrawScheduler', () => {
  it('processes overdue giveaways at start and closes a new one within ~1 s of its ends_at', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const overdue = await createGiveaway(db.pool, {
      winners: 1,
      participants: userIds(3),
      endsInMs: -60_000,
    });
    const soon = await createGiveaway(db.pool, { winners: 2, participants: userIds(5), endsInMs: 1_000 });
    const scheduler = new DrawScheduler({ drawService: service, logger: silentLogger, pollMs: 1_000 });
    scheduler.start();
    try {
      const lagMs = await waitFor(async () => {
        const res = await db.pool.query<{ status: string; lag_ms: number }>(
          `SELECT status, extract(epoch FROM (finished_at - ends_at)) * 1000 AS lag_ms FROM giveaways WHERE id = $1`,
          [soon],
        );
        const row = res.rows[0];
        return row?.status === 'completed' ? Number(row.lag_ms) : undefined;
      }, 5_000);
      expect(lagMs).toBeGreaterThanOrEqual(0);
      expect(lagMs).toBeLessThan(1_500);
      console.info(`scheduler closed and drew ${lagMs.toFixed(0)} ms after ends_at`);
      const first = await db.pool.query(`SELECT status FROM giveaways WHERE id = $1`, [overdue]);
      expect(first.rows[0].status).toBe('completed');
    } finally {
      await scheduler.stop();
    }
  });

  it('keeps going after an error and stops cleanly', async () => {
    let calls = 0;
    const flaky = {
      closeDue: () => {
        calls++;
        return calls === 1
          ? Promise.reject(new Error('database hiccup'))
          : Promise.resolve({ activated: 0, closed: 0, pending: 0, fallbacks: 0 });
      },
      runDueDraws: () => Promise.resolve({ completed: 0, skipped: 0, failed: 0 }),
      nextDueInMs: () => Promise.resolve(null),
    };
    const scheduler = new DrawScheduler({ drawService: flaky, logger: silentLogger, pollMs: 50 });
    scheduler.start();
    await waitFor(() => Promise.resolve(calls >= 3 ? true : undefined), 2_000);
    await scheduler.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 150));
    expect(calls).toBe(after);
  });
});
