// Every outcome the join batch statement can answer, decided together in one batch across giveaways, so a
// rewrite of the statement (plan shape, parameters, prepared name) cannot shift one verdict into another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyJoinBatch, type JoinRequest } from '../../server/joins/joins.queries.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

async function giveaway(extra: string, values: string): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count${extra})
     VALUES (1, 't', now() - interval '1 hour', ${values}) RETURNING id`,
  );
  return rows[0]?.id ?? '';
}

/** Fresh giveaways per test (tests run shuffled): one in each state the statement tells apart. */
async function giveaways() {
  const ids = {
    open: await giveaway('', `now() + interval '1 hour', 7200, 1`),
    ended: await giveaway('', `now() - interval '1 second', 3600, 1`),
    finished: await giveaway(', status', `now() + interval '1 hour', 7200, 1, 'completed'`),
    closing: await giveaway(', closed_at', `now() + interval '1 hour', 7200, 1, now()`),
    small: await giveaway(', max_participants', `now() + interval '1 hour', 7200, 1, 2`),
  };
  // Already in before the batch: user 2 in the open giveaway and in the finished one, user 3 in the small one.
  await db.pool.query(`INSERT INTO participants (giveaway_id, user_id) VALUES ($1, 2), ($2, 2), ($3, 3)`, [
    ids.open,
    ids.finished,
    ids.small,
  ]);
  await db.pool.query(`UPDATE giveaways SET participants_count = 1 WHERE id = ANY($1::uuid[])`, [
    [ids.open, ids.finished, ids.small],
  ]);
  return ids;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO users (id) SELECT g FROM generate_series(1, 40) g`);
});
afterAll(async () => {
  await db?.drop();
});

describe('join batch statement', () => {
  it('answers each request of a mixed batch by giveaway state, capacity, duplicates and membership', async () => {
    const ids = await giveaways();
    const cases: Array<[JoinRequest, string]> = [
      [{ giveawayId: ids.open, userId: 4, source: 'socket' }, 'joined'],
      [{ giveawayId: ids.open, userId: 2, source: 'socket' }, 'already_joined'],
      [{ giveawayId: ids.open, userId: 1, source: 'api' }, 'creator'],
      [{ giveawayId: ids.open, userId: 999, source: 'api' }, 'not_found'],
      [{ giveawayId: ids.open, userId: 4, source: 'api' }, 'already_joined'],
      [{ giveawayId: UNKNOWN, userId: 4, source: 'api' }, 'not_found'],
      [{ giveawayId: ids.ended, userId: 4, source: 'api' }, 'closed'],
      [{ giveawayId: ids.finished, userId: 4, source: 'api' }, 'closed'],
      [{ giveawayId: ids.finished, userId: 2, source: 'api' }, 'already_joined'],
      [{ giveawayId: ids.closing, userId: 4, source: 'api' }, 'closed'],
      [{ giveawayId: ids.small, userId: 3, source: 'api' }, 'already_joined'],
      [{ giveawayId: ids.small, userId: 5, source: 'api' }, 'joined'],
      [{ giveawayId: ids.small, userId: 6, source: 'api' }, 'full'],
      [{ giveawayId: ids.small, userId: 6, source: 'api' }, 'full'],
      [{ giveawayId: ids.small, userId: 5, source: 'bot' }, 'already_joined'],
      [{ giveawayId: ids.open, userId: 7, source: 'bot' }, 'joined'],
    ];
    const outcomes = await applyJoinBatch(
      db.pool,
      cases.map(([r]) => r),
    );
    expect(outcomes).toEqual(cases.map(([, o]) => o));
    const { rows } = await db.pool.query<{ id: string; participants_count: number; actual: number }>(
      `SELECT g.id, g.participants_count,
              (SELECT count(*)::int FROM participants p WHERE p.giveaway_id = g.id) AS actual
       FROM giveaways g WHERE g.id = ANY($1::uuid[])`,
      [Object.values(ids)],
    );
    for (const row of rows) expect(row.participants_count).toBe(row.actual);
    const sources = await db.pool.query<{ user_id: string; source: string }>(
      `SELECT user_id, source FROM participants WHERE giveaway_id = $1 ORDER BY user_id`,
      [ids.open],
    );
    expect(sources.rows).toEqual([
      { user_id: '2', source: 'api' },
      { user_id: '4', source: 'socket' },
      { user_id: '7', source: 'bot' },
    ]);
  });

  it('answers already_joined, not joined, for a row a concurrent transaction inserted after the batch began', async () => {
    const ids = await giveaways();
    const other = await db.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(`INSERT INTO participants (giveaway_id, user_id) VALUES ($1, 8)`, [ids.open]);
      // Blocked on the giveaway row (the other transaction's foreign-key lock) until it commits; its
      // snapshot predates the commit, so it admits user 8 and finds the conflict only when inserting.
      const batch = applyJoinBatch(db.pool, [
        { giveawayId: ids.open, userId: 8, source: 'api' },
        { giveawayId: ids.open, userId: 9, source: 'api' },
      ]);
      await expect
        .poll(
          async () =>
            (
              await db.pool.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              )
            ).rows[0]?.n ?? 0,
          { timeout: 15_000, message: 'the batch to wait on the other transaction' },
        )
        .toBeGreaterThan(0);
      await other.query('COMMIT');
      expect(await batch).toEqual(['already_joined', 'joined']);
    } finally {
      other.release();
    }
  });

  it('answers an empty batch and a repeated batch without writing twice', async () => {
    const ids = await giveaways();
    expect(await applyJoinBatch(db.pool, [{ giveawayId: ids.open, userId: 4, source: 'api' }])).toEqual([
      'joined',
    ]);
    expect(await applyJoinBatch(db.pool, [])).toEqual([]);
    const again = await applyJoinBatch(db.pool, [{ giveawayId: ids.open, userId: 4, source: 'api' }]);
    expect(again).toEqual(['already_joined']);
  });
});
