// TRUST_PROXY decides whose X-Forwarded-For names the client, for REST and the socket handshake alike.
// Per-IP limits key on that address: by default nothing is trusted (not even loopback or private ranges, where
// any load balancer and many clients sit), so a client cannot buy a fresh budget by inventing a header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { ask, connectSocket } from '../support/socket-client.ts';
import { TEST_BOT_TOKEN, asUser, initDataFor } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function withApp(
  env: Record<string, string>,
  run: (app: TestApp, giveawayId: string) => Promise<void>,
) {
  const app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    RATE_LIMIT_JOIN_PER_IP: '2/600',
    ...env,
  });
  try {
    const res = await asUser(app.url, { id: 1 })('/api/v1/giveaways', { method: 'POST', json: createBody() });
    expect(res.status).toBe(201);
    await run(app, ((await res.json()) as { id: string }).id);
  } finally {
    await app.stop();
  }
}

let nextUser = 1000;
/** Joins as a fresh user over REST claiming to come from `forwardedFor`; returns the status. */
async function restJoin(app: TestApp, giveawayId: string, forwardedFor: string): Promise<number> {
  const join = asUser(app.url, { id: nextUser++ });
  const res = await join(`/api/v1/giveaways/${giveawayId}/join`, {
    method: 'POST',
    headers: { 'X-Forwarded-For': forwardedFor },
  });
  return res.status;
}

/** Joins as a fresh user over a socket whose handshake claims to come from `forwardedFor`; returns the ack. */
async function socketJoin(app: TestApp, giveawayId: string, forwardedFor: string) {
  const socket = await connectSocket(app.app.realtimePort, {
    auth: { initData: initDataFor({ id: nextUser++ }) },
    extraHeaders: { 'X-Forwarded-For': forwardedFor },
    transports: ['polling', 'websocket'],
  });
  try {
    return await ask<{ ok: boolean; error?: { code: string } }>(socket, 'giveaway:join', {
      giveaway_id: giveawayId,
    });
  } finally {
    socket.disconnect();
  }
}

describe('TRUST_PROXY', () => {
  it('by default, a spoofed X-Forwarded-For does not change the address REST and socket limits see', async () => {
    await withApp({}, async (app, giveawayId) => {
      expect(await restJoin(app, giveawayId, '203.0.113.1')).toBe(200);
      expect(await restJoin(app, giveawayId, '203.0.113.2')).toBe(200);
      // Two joins spent 127.0.0.1's budget, whatever the header claimed.
      expect(await restJoin(app, giveawayId, '203.0.113.3')).toBe(429);
      expect(await socketJoin(app, giveawayId, '203.0.113.4')).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED' },
      });
    });
  });

  it('with TRUST_PROXY=1, the address the proxy forwards is the client, over REST and sockets', async () => {
    await withApp({ TRUST_PROXY: '1' }, async (app, giveawayId) => {
      for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
        expect(await restJoin(app, giveawayId, ip)).toBe(200);
      }
      // Each socket's handshake names another client: each has its own budget...
      for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        expect(await socketJoin(app, giveawayId, ip)).toMatchObject({ ok: true });
      }
      // ...and one client address still has only its own: REST and sockets share it.
      expect(await socketJoin(app, giveawayId, '203.0.113.1')).toMatchObject({ ok: true });
      expect(await socketJoin(app, giveawayId, '203.0.113.1')).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED' },
      });
      // Only the nearest hop is trusted: what the client put further left does not count.
      expect(await restJoin(app, giveawayId, '192.0.2.77, 203.0.113.1')).toBe(429);
    });
  });

  it('with a proxy address list, only those proxies are believed', async () => {
    await withApp({ TRUST_PROXY: '10.0.0.0/8' }, async (app, giveawayId) => {
      // The test client connects from 127.0.0.1, which is not in the list: its header is ignored.
      expect(await restJoin(app, giveawayId, '203.0.113.1')).toBe(200);
      expect(await restJoin(app, giveawayId, '203.0.113.2')).toBe(200);
      expect(await restJoin(app, giveawayId, '203.0.113.3')).toBe(429);
    });
    await withApp({ TRUST_PROXY: '127.0.0.1/32, ::1' }, async (app, giveawayId) => {
      for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
        expect(await restJoin(app, giveawayId, ip)).toBe(200);
      }
      expect(await socketJoin(app, giveawayId, '198.51.100.9')).toMatchObject({ ok: true });
    });
  });
});
