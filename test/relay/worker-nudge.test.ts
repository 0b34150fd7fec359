// A worker-only node (no realtime role, so no relay) still hears committed changes: its scheduler is nudged by
// the node's ChangeFeed instead of waiting for the 1 s backstop poll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertGiveaway } from './support.ts';

let db: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: db.url, ROLES: 'worker', RATE_LIMIT: 'off' });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const closedAt = async (id: string) =>
  (
    await db.pool.query<{ closed: boolean }>(
      `SELECT closed_at IS NOT NULL AS closed FROM giveaways WHERE id = $1`,
      [id],
    )
  ).rows[0]?.closed;

describe('a worker-only node', () => {
  it('closes a giveaway made due by a change well within the backstop poll, three times in a row', async () => {
    // The feed connects in the background: wait for its LISTEN session.
    await expect
      .poll(
        async () =>
          (
            await db.pool.query(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'gw-feed:%'`,
            )
          ).rowCount,
        { timeout: 5_000 },
      )
      .toBe(1);
    // One fast close could be the 1 s poll by luck (about one chance in three); three in a row hardly.
    for (let round = 0; round < 3; round++) {
      const id = await insertGiveaway(db.pool);
      const changedAt = Date.now();
      // ends_at moves from an hour ahead (the scheduler's aim timer) to now: only the NOTIFY says so.
      await db.pool.query(`UPDATE giveaways SET ends_at = now() WHERE id = $1`, [id]);
      await expect.poll(() => closedAt(id), { timeout: 2_000, interval: 10 }).toBe(true);
      // Generous for a loaded CI machine, still well under the poll in most rounds.
      expect(Date.now() - changedAt).toBeLessThan(600);
    }
  });
});
