// Sessions end on every node: a ban or a key revocation made through one server process ends the
// principal's sockets on all of them (the notice travels by PostgreSQL NOTIFY to each node's change feed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../schema/contract/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { ask, connectSocket, type TestSocket } from '../support/socket-client.ts';
import { asUser, initDataFor, TEST_BOT_TOKEN } from '../support/telegram-user.ts';

const ADMIN = { id: 900 };
let db: TestDatabase;
const nodes: ServerProcess[] = [];
const sockets: TestSocket[] = [];

const http = (n: ServerProcess) => `http://127.0.0.1:${n.httpPort()}`;
async function open(node: ServerProcess, auth: Record<string, string>) {
  const s = await connectSocket(node.realtimePort(), { auth });
  sockets.push(s);
  return s;
}

function endOf(socket: TestSocket): Promise<{ event: SessionEvent; at: number }> {
  return new Promise((resolve, reject) => {
    let event: SessionEvent | undefined;
    socket.on('session:ended', (e) => (event = e));
    socket.on('disconnect', () =>
      event ? resolve({ event, at: Date.now() }) : reject(new Error('disconnected without session:ended')),
    );
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const keyPrefix = testKeyPrefix();
  for (let i = 0; i < 2; i++) {
    nodes.push(
      spawnServer({
        DATABASE_URL: db.url,
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: keyPrefix,
        CLUSTER: 'true',
        BOT_TOKEN: TEST_BOT_TOKEN,
        ADMIN_IDS: String(ADMIN.id),
        RATE_LIMIT: 'off',
        LOG_LEVEL: 'info',
        ROLES: 'api,realtime',
      }),
    );
  }
  await Promise.all(nodes.map((n) => n.waitForLine(/"msg":"Ready"/, 60_000)));
}, 90_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(nodes.map((n) => n.kill()));
  await db?.drop();
});

describe('sessions across nodes', () => {
  it('a ban through node A ends the user’s sockets on A and B within 2 s, with the reason', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const created = await asUser(http(a), { id: 1 })('/api/v1/giveaways', {
      method: 'POST',
      json: createBody(),
    });
    const { id } = (await created.json()) as { id: string };
    const user = { id: 3001 };
    const onA = await open(a, { initData: initDataFor(user) });
    const onB = await open(b, { initData: initDataFor(user) });
    const other = await open(b, { initData: initDataFor({ id: 3002 }) });
    expect(await ask(onB, 'giveaway:join', { giveaway_id: id })).toMatchObject({ ok: true });
    const ends = [endOf(onA), endOf(onB)];

    const res = await asUser(http(a), ADMIN)(`/api/v1/users/${user.id}/status`, {
      method: 'PUT',
      json: { status: 'banned' },
    });
    const bannedAt = Date.now();
    expect(res.status).toBe(200);
    for (const end of await Promise.all(ends)) {
      expect(end.event.code).toBe('USER_BANNED');
      expect(end.at - bannedAt).toBeLessThan(2_000);
    }
    expect(await ask(other, 'giveaway:join', { giveaway_id: id })).toMatchObject({ ok: true });
    await expect(open(b, { initData: initDataFor(user) })).rejects.toMatchObject({
      data: { code: 'USER_BANNED' },
    });
  });

  it('revoking a key through node B ends the sockets opened with it on A within 2 s', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const owner = asUser(http(b), { id: 3101 });
    const { id, key } = (await (
      await owner('/api/v1/api-keys', { method: 'POST', json: { name: 'obs' } })
    ).json()) as {
      id: string;
      key: string;
    };
    const onA = await open(a, { apiKey: key });
    const ended = endOf(onA);
    expect((await owner(`/api/v1/api-keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    const revokedAt = Date.now();
    const end = await ended;
    expect(end.event.code).toBe('API_KEY_INVALID');
    expect(end.at - revokedAt).toBeLessThan(2_000);
  });
});
