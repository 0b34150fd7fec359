// Redis is only a transport here: when it restarts mid-run, nodes reconnect, adapter subscriptions come
// back, and watchers see the state again (no restart of any node).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/redis.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { ask, connectSocket, nextEvent, type TestSocket } from '../support/socket-client.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';

let db: TestDatabase;
let redis: PrivateRedis;
const nodes: ServerProcess[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  redis = await startPrivateRedis();
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    CLUSTER: 'true',
    BOT_TOKEN: TEST_BOT_TOKEN,
    RATE_LIMIT: 'off',
    LOG_LEVEL: 'info',
    ROLES: 'api,realtime',
  };
  nodes.push(spawnServer(env), spawnServer(env));
  await Promise.all(nodes.map((n) => n.waitForLine(/"msg":"Ready"/, 60_000)));
}, 90_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(nodes.map((n) => n.kill()));
  await redis?.stop();
  await db?.drop();
});

describe('a Redis restart', () => {
  it('is survived: after it, joins on B reach a watcher on A again', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const urlB = `http://127.0.0.1:${b.httpPort()}`;
    const created = await asUser(urlB, { id: 1 })('/api/v1/giveaways', {
      method: 'POST',
      json: createBody(),
    });
    const { id } = (await created.json()) as { id: string };
    const watcher = await connectSocket(a.realtimePort());
    sockets.push(watcher);
    expect(await ask(watcher, 'giveaway:subscribe', { giveaway_id: id })).toMatchObject({ ok: true });
    const join = (user: number) =>
      asUser(urlB, { id: user })(`/api/v1/giveaways/${id}/join`, { method: 'POST' });

    await join(10);
    await nextEvent(watcher, 'giveaway:count', (e) => e.participants_count === 1);

    await redis.stop();
    // While Redis is away the API keeps working (PostgreSQL is the source of truth).
    expect((await join(11)).status).toBe(200);
    await redis.start();

    // The watcher stays connected to A; once the adapters are back, fresh changes flow again.
    let user = 12;
    let seen = 0;
    const onCount = (e: { giveaway_id: string; participants_count: number }) => {
      if (e.giveaway_id === id) seen = Math.max(seen, e.participants_count);
    };
    watcher.on('giveaway:count', onCount);
    // Each poll joins one more user: a change made once the adapters are back reaches the watcher.
    await expect
      .poll(
        async () => {
          await join(user++);
          return seen;
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBeGreaterThanOrEqual(3);
    watcher.off('giveaway:count', onCount);
    const { rows } = await db.pool.query('SELECT participants_count FROM giveaways WHERE id = $1', [id]);
    expect(rows[0].participants_count).toBe(user - 10);
    // And a resubscribe gives the exact state.
    const again = await ask(watcher, 'giveaway:subscribe', { giveaway_id: id });
    expect(again.snapshot.participants_count).toBe(user - 10);
  }, 60_000);
});
