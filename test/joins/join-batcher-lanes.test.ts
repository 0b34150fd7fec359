// Joins are partitioned by giveaway into lanes: batches in flight at once never share a giveaway, batches of
// different lanes do run at once, and capacity stays exact.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoinBatcher } from '../../server/joins/index.ts';
import { createLogger } from '../../server/platform/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
let giveaways: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO users (id) SELECT g FROM generate_series(1, 201) g`);
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count, max_participants)
     SELECT 1, 't' || g, now(), now() + interval '1 hour', 3600, 1, 50 FROM generate_series(1, 16) g
     RETURNING id`,
  );
  giveaways = rows.map((r) => r.id);
});
afterAll(async () => {
  await db?.drop();
});

/** The batch's giveaways: its first parameter, an array literal of their ids. */
function giveawaysOf(param: unknown): string[] {
  return String(param).replace(/[{}"]/g, '').split(',');
}

/**
 * The real pool behind a gate: the first statement is held until a second one is in flight (so the test sees
 * whether batches run in parallel), and every statement's giveaways are recorded while it runs.
 */
function observedPool(pool: pg.Pool) {
  const inFlight = new Set<string[]>();
  const sharedWhileRunning: string[] = [];
  let maxInFlight = 0;
  let releaseFirst: (() => void) | undefined;
  const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  let statements = 0;
  const query = async (config: { text: string; values?: unknown[] }) => {
    const ids = giveawaysOf(config.values?.[0]);
    for (const other of inFlight) for (const id of ids) if (other.includes(id)) sharedWhileRunning.push(id);
    inFlight.add(ids);
    maxInFlight = Math.max(maxInFlight, inFlight.size);
    try {
      if (++statements === 1) await firstHeld;
      else releaseFirst?.();
      return await pool.query(config);
    } finally {
      inFlight.delete(ids);
    }
  };
  return {
    pool: { query } as unknown as pg.Pool,
    get maxInFlight() {
      return maxInFlight;
    },
    sharedWhileRunning,
  };
}

describe('JoinBatcher lanes', () => {
  it('runs batches of different giveaways at once, never two batches of one giveaway, and admits exactly the capacity', async () => {
    const observed = observedPool(db.pool);
    const batcher = new JoinBatcher({
      pool: observed.pool,
      logger: createLogger('silent'),
      lanes: 4,
      maxBatch: 40,
    });
    // 200 users try every giveaway (capacity 50 each): 3 200 joins, 800 admitted.
    const outcomes = await Promise.all(
      giveaways.flatMap((giveawayId) =>
        Array.from({ length: 200 }, (_, i) => batcher.enqueue({ giveawayId, userId: i + 2, source: 'api' })),
      ),
    );
    await batcher.close();
    expect(observed.maxInFlight).toBeGreaterThanOrEqual(2);
    expect(observed.maxInFlight).toBeLessThanOrEqual(4);
    expect(observed.sharedWhileRunning).toEqual([]);
    expect(outcomes.filter((o) => o === 'joined')).toHaveLength(16 * 50);
    expect(outcomes.filter((o) => o === 'full')).toHaveLength(16 * 150);
    const { rows } = await db.pool.query<{ n: string; sum: string }>(
      `SELECT (SELECT count(*) FROM participants) AS n, (SELECT sum(participants_count) FROM giveaways) AS sum`,
    );
    expect(Number(rows[0]?.n)).toBe(800);
    expect(Number(rows[0]?.sum)).toBe(800);
  });
});
