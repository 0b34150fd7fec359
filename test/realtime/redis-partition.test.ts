// Only the relaying node loses Redis (its connections go through a proxy the test cuts): it gives the relay
// lock up, a node that still reaches Redis takes it, and watchers on both nodes keep getting counts and the
// draw result; once the proxy is back the cut-off node returns to the Redis path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { ask, connectSocket, type TestSocket } from '../support/socket-client.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';

let db: TestDatabase;
let proxy: TcpProxy;
let cutOff: ServerProcess;
let healthy: ServerProcess;
const sockets: TestSocket[] = [];

const LEADER = /"msg":"This node now relays changes \(leader\)"/;

beforeAll(async () => {
  db = await createTestDatabase();
  const shared = new URL(testRedisUrl());
  proxy = await startTcpProxy(Number(shared.port || 6379), shared.hostname);
  const keyPrefix = testKeyPrefix();
  const env = (redisUrl: string, roles: string) => ({
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    CLUSTER: 'true',
    BOT_TOKEN: TEST_BOT_TOKEN,
    RATE_LIMIT: 'off',
    DEBUG: 'true',
    LOG_LEVEL: 'info',
    ROLES: roles,
  });
  // The proxied node starts first and so takes the relay lock.
  cutOff = spawnServer(env(`redis://127.0.0.1:${proxy.port}`, 'api,realtime,worker'));
  await cutOff.waitForLine(LEADER, 60_000);
  healthy = spawnServer(env(testRedisUrl(), 'api,realtime'));
  await healthy.waitForLine(/"msg":"Ready"/, 60_000);
}, 90_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all([cutOff?.kill(), healthy?.kill()]);
  await proxy?.cut();
  await db?.drop();
});

async function watch(node: ServerProcess, id: string) {
  const socket = await connectSocket(node.realtimePort());
  sockets.push(socket);
  const seen: Array<{ event: string; payload: any }> = [];
  socket.onAny((event: string, payload: any) => {
    if (payload?.giveaway_id === id) seen.push({ event, payload });
  });
  expect(await ask(socket, 'giveaway:subscribe', { giveaway_id: id })).toMatchObject({ ok: true });
  return {
    lastCount: () => seen.filter((s) => s.event === 'giveaway:count').at(-1)?.payload.participants_count,
    drawn: () => seen.filter((s) => s.event === 'giveaway:drawn').length,
  };
}

describe('a relay node cut off from Redis', () => {
  it('hands the relay over to a node with Redis, and both nodes’ watchers keep getting changes', async () => {
    const http = `http://127.0.0.1:${healthy.httpPort()}`;
    const created = await asUser(http, { id: 1 })('/api/v1/giveaways', {
      method: 'POST',
      json: createBody(),
    });
    const { id } = (await created.json()) as { id: string };
    let user = 100;
    const join = async () => {
      const res = await asUser(http, { id: user++ })(`/api/v1/giveaways/${id}/join`, { method: 'POST' });
      expect(res.status).toBe(200);
      return user - 100;
    };
    const onCutOff = await watch(cutOff, id);
    const onHealthy = await watch(healthy, id);
    const first = await join();
    for (const w of [onCutOff, onHealthy])
      await expect.poll(() => w.lastCount(), { timeout: 5_000 }).toBe(first);

    const mark = cutOff.lines.length;
    await proxy.cut();
    await cutOff.waitForLine(/"msg":"Realtime delivery mode local/, 5_000);
    await healthy.waitForLine(LEADER, 5_000);
    expect(
      cutOff.lines.slice(mark).some((l) => l.includes('Redis path lost: giving the relay lock up')),
    ).toBe(true);

    // The healthy node relays through Redis; the cut-off node serves its own watcher from PostgreSQL.
    const second = await join();
    for (const w of [onCutOff, onHealthy])
      await expect.poll(() => w.lastCount(), { timeout: 5_000 }).toBe(second);
    await db.pool.query('UPDATE giveaways SET ends_at = now() WHERE id = $1', [id]);
    for (const w of [onCutOff, onHealthy])
      await expect.poll(() => w.drawn(), { timeout: 15_000 }).toBeGreaterThan(0);

    await proxy.restore();
    const since = (pattern: RegExp) => cutOff.lines.slice(mark).some((l) => pattern.test(l));
    await expect.poll(() => since(/"msg":"Realtime delivery mode redis/), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => since(/"msg":"Local relay stopped/), { timeout: 10_000 }).toBe(true);
  }, 60_000);
});
