// The concurrency promise: 500 simultaneous joins on max_participants = 50 admit exactly 50,
// even when they arrive through several server processes at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';

let db: TestDatabase;
const nodes: ServerProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const env = {
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    RATE_LIMIT: 'off',
    ROLES: 'api',
    LOG_LEVEL: 'info',
  };
  for (let i = 0; i < 3; i++) nodes.push(spawnServer(env));
  await Promise.all(nodes.map((n) => n.waitForLine(/"msg":"Ready"/, 60_000)));
}, 90_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill()));
  await db?.drop();
});

describe('joins across processes', () => {
  it('admit exactly max_participants out of 500 simultaneous joins on 3 nodes', async () => {
    const urls = nodes.map((n) => `http://127.0.0.1:${n.httpPort()}`);
    const created = await asUser(urls[0] ?? '', { id: 7 })('/api/v1/giveaways', {
      method: 'POST',
      json: createBody({ winners_count: 5, max_participants: 50 }),
    });
    const { id } = (await created.json()) as { id: string };
    const users = Array.from({ length: 500 }, (_, i) => ({ id: 10_000 + i }));
    const results = await Promise.all(
      users.map(async (u, i) => {
        const res = await asUser(urls[i % urls.length] ?? '', u)(`/api/v1/giveaways/${id}/join`, {
          method: 'POST',
        });
        return res.status === 200 ? 'joined' : ((await res.json()) as { code: string }).code;
      }),
    );
    const tally = results.reduce<Record<string, number>>(
      (acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }),
      {},
    );
    expect(tally).toEqual({ joined: 50, GIVEAWAY_FULL: 450 });
    const { rows } = await db.pool.query(
      `SELECT g.participants_count, (SELECT count(*)::int FROM participants p WHERE p.giveaway_id = g.id) AS actual
       FROM giveaways g WHERE g.id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ participants_count: 50, actual: 50 });
  }, 60_000);
});
