// Three server processes sharing PostgreSQL and Redis: changes made anywhere reach a watcher on any node.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { ask, connectSocket, nextEvent, type TestSocket } from '../support/socket-client.ts';
import { asUser, initDataFor, TEST_BOT_TOKEN } from '../support/telegram-user.ts';

let db: TestDatabase;
const nodes: ServerProcess[] = [];
const sockets: TestSocket[] = [];
const keyPrefix = testKeyPrefix();
let redis: Redis;

const env = (roles: string) => ({
  DATABASE_URL: '',
  REDIS_URL: testRedisUrl(),
  REDIS_KEY_PREFIX: keyPrefix,
  CLUSTER: 'true',
  BOT_TOKEN: TEST_BOT_TOKEN,
  RATE_LIMIT: 'off',
  DEBUG: 'true',
  LOG_LEVEL: 'info',
  ROLES: roles,
});
const http = (n: ServerProcess) => `http://127.0.0.1:${n.httpPort()}`;
async function open(node: ServerProcess, auth?: Record<string, string>) {
  const s = await connectSocket(node.realtimePort(), auth ? { auth } : {});
  sockets.push(s);
  return s;
}

// A and B serve clients; C also runs the worker (scheduler and draws).
const ROLES = ['api,realtime', 'api,realtime', 'api,realtime,worker'] as const;
const spawnNode = (roles: string) => spawnServer({ ...env(roles), DATABASE_URL: db.url });

beforeAll(async () => {
  db = await createTestDatabase();
  redis = new Redis(testRedisUrl());
  for (const roles of ROLES) nodes.push(spawnNode(roles));
  await Promise.all(nodes.map((n) => n.waitForLine(/"msg":"Ready"/, 60_000)));
}, 90_000);

/** Shard-channel subscribers of the room's one channel (the sharded adapter subscribes asynchronously). */
async function roomSubscribers(id: string): Promise<number> {
  const channels = (await redis.call('PUBSUB', 'SHARDCHANNELS', `*${id}*`)) as string[];
  if (channels.length !== 1) return channels.length === 0 ? 0 : -channels.length;
  const [, count] = (await redis.call('PUBSUB', 'SHARDNUMSUB', channels[0] ?? '')) as [string, number];
  return count;
}

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(nodes.map((n) => n.kill()));
  redis?.disconnect();
  await db?.drop();
});

describe('a realtime cluster of three nodes', () => {
  it('shows a watcher on A the count moving as users join through B (REST) and C (socket), then the draw', async () => {
    const [a, b, c] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    const created = await asUser(http(a), { id: 1 })('/api/v1/giveaways', {
      method: 'POST',
      json: createBody({ duration: 8, winners_count: 2 }),
    });
    const { id } = (await created.json()) as { id: string };
    const watcher = await open(a);
    const counts: number[] = [];
    watcher.on('giveaway:count', (e) => e.giveaway_id === id && counts.push(e.participants_count));
    const subscribed = await ask(watcher, 'giveaway:subscribe', { giveaway_id: id });
    expect(subscribed).toMatchObject({ ok: true, snapshot: { participants_count: 0 } });

    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        asUser(http(b), { id: 100 + i })(`/api/v1/giveaways/${id}/join`, { method: 'POST' }),
      ),
    );
    for (let i = 0; i < 10; i++) {
      const joiner = await open(c, { initData: initDataFor({ id: 200 + i }) });
      expect(await ask(joiner, 'giveaway:join', { giveaway_id: id })).toMatchObject({
        ok: true,
        status: 'joined',
      });
    }
    // Polled rather than awaited as the next event: the count of 20 can reach A before C's last ack reaches the
    // test, and a listener attached after it would wait for an event that already came.
    await expect.poll(() => counts.at(-1), { timeout: 10_000 }).toBe(20);
    const { rows } = await db.pool.query('SELECT participants_count FROM giveaways WHERE id = $1', [id]);
    expect(rows[0].participants_count).toBe(20);

    // The worker on C closes and draws; A's watcher gets the status and the result (not volatile).
    const status = nextEvent(
      watcher,
      'giveaway:status',
      (e) => e.giveaway_id === id && e.status === 'completed',
      20_000,
    );
    const drawn = await nextEvent(watcher, 'giveaway:drawn', (e) => e.giveaway_id === id, 20_000);
    await status;
    expect(drawn.winners).toHaveLength(2);
    expect(drawn.proof).toMatchObject({
      entrants_count: 20,
      entrants_root: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  }, 60_000);

  it('delivers a room only to nodes hosting it: a node without watchers gets none of its traffic', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const created = await asUser(http(a), { id: 2 })('/api/v1/giveaways', {
      method: 'POST',
      json: createBody(),
    });
    const { id } = (await created.json()) as { id: string };
    const watcher = await open(a);
    await ask(watcher, 'giveaway:subscribe', { giveaway_id: id });
    // Exactly one node (A) subscribed to the room's channel: B and C receive none of its broadcasts.
    await expect.poll(() => roomSubscribers(id), { timeout: 10_000 }).toBe(1);
    const viaB = await open(b);
    await ask(viaB, 'giveaway:subscribe', { giveaway_id: id });
    await expect.poll(() => roomSubscribers(id), { timeout: 10_000 }).toBe(2);
  });

  it('counts watchers across nodes', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const created = await asUser(http(a), { id: 3 })('/api/v1/giveaways', {
      method: 'POST',
      json: createBody(),
    });
    const { id } = (await created.json()) as { id: string };
    const first = await open(a);
    await ask(first, 'giveaway:subscribe', { giveaway_id: id });
    const second = await open(b);
    await ask(second, 'giveaway:subscribe', { giveaway_id: id });
    const third = await open(b);
    await ask(third, 'giveaway:subscribe', { giveaway_id: id });
    await nextEvent(first, 'giveaway:watchers', (e) => e.giveaway_id === id && e.watchers === 3, 10_000);
  });

  it('fails the relay over within 2 s when its node dies, without missing a status change', async () => {
    const leaderIndex = nodes.findIndex((n) => n.lines.some((l) => l.includes('relays changes (leader)')));
    expect(leaderIndex).toBeGreaterThanOrEqual(0);
    const survivors = nodes.filter((_, i) => i !== leaderIndex);
    const [s1] = survivors as [ServerProcess];
    const created = await asUser(http(s1), { id: 4 })('/api/v1/giveaways', {
      method: 'POST',
      json: createBody(),
    });
    const { id } = (await created.json()) as { id: string };
    const watcher = await open(s1);
    await ask(watcher, 'giveaway:subscribe', { giveaway_id: id });
    const leader = nodes[leaderIndex] as ServerProcess;
    // The other tests expect three live nodes in their places, whichever runs after this one.
    onTestFinished(async () => {
      const replacement = spawnNode(ROLES[leaderIndex] ?? ROLES[0]);
      nodes[leaderIndex] = replacement;
      await replacement.waitForLine(/"msg":"Ready"/, 60_000);
    });
    const killedAt = Date.now();
    await leader.kill('SIGKILL');
    // Changed while nobody relays: must still arrive once a survivor takes over.
    await db.pool.query(`UPDATE giveaways SET status = 'cancelled' WHERE id = $1`, [id]);
    const event = await nextEvent(
      watcher,
      'giveaway:status',
      (e) => e.giveaway_id === id && e.status === 'cancelled',
      10_000,
    );
    expect(event.status).toBe('cancelled');
    expect(Date.now() - killedAt).toBeLessThan(2_000);
    const tookOver = survivors.some((n) => n.lines.some((l) => l.includes('relays changes (leader)')));
    expect(tookOver).toBe(true);
  }, 90_000);
});
