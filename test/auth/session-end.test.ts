// Sessions end when trust ends, on one node: a ban or a key revocation ends the principal's open sockets with
// a coded event, every command checks the principal's current standing, init-data expiry stops a socket from
// acting until it presents fresh init-data, and init-data dated in the future is refused.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../schema/contract/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { ask, connectSocket, nextEvent, type TestSocket } from '../support/socket-client.ts';
import { asUser, initDataFor, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const TTL_SEC = 3600;
const ADMIN = { id: 900, username: 'boss' };
let db: TestDatabase;
let app: TestApp;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    ADMIN_IDS: String(ADMIN.id),
    RATE_LIMIT: 'off',
    INIT_DATA_TTL: String(TTL_SEC),
  });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.stop();
  await db?.drop();
});

async function open(
  auth?: Record<string, string>,
  transports?: Array<'websocket' | 'polling'>,
): Promise<TestSocket> {
  const socket = await connectSocket(app.app.realtimePort, {
    ...(auth ? { auth } : {}),
    ...(transports ? { transports } : {}),
  });
  sockets.push(socket);
  return socket;
}

async function newGiveaway(creator: number): Promise<string> {
  const res = await asUser(app.url, { id: creator })('/api/v1/giveaways', {
    method: 'POST',
    json: createBody(),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Resolves with the `session:ended` event and the time the socket was disconnected. */
function endOf(socket: TestSocket): Promise<{ event: SessionEvent; at: number }> {
  return new Promise((resolve, reject) => {
    let event: SessionEvent | undefined;
    socket.on('session:ended', (e) => (event = e));
    socket.on('disconnect', () =>
      event ? resolve({ event, at: Date.now() }) : reject(new Error('disconnected without session:ended')),
    );
  });
}

const me = (initData: string) =>
  fetch(`${app.url}/api/v1/users/me`, { headers: { 'X-Telegram-Init-Data': initData } });

describe('a ban', () => {
  it('tells every open socket of the user why and disconnects it within 2 s; it can neither join nor reconnect', async () => {
    const id = await newGiveaway(1);
    const user = { id: 2001 };
    const first = await open({ initData: initDataFor(user) });
    const second = await open({ initData: initDataFor(user) }, ['polling']);
    const bystander = await open({ initData: initDataFor({ id: 2002 }) });
    expect(await ask(first, 'giveaway:join', { giveaway_id: id })).toMatchObject({ ok: true });
    const ends = [endOf(first), endOf(second)];

    const banned = await asUser(app.url, ADMIN)(`/api/v1/users/${user.id}/status`, {
      method: 'PUT',
      json: { status: 'banned' },
    });
    const bannedAt = Date.now();
    expect(banned.status).toBe(200);
    for (const end of await Promise.all(ends)) {
      expect(end.event).toMatchObject({ code: 'USER_BANNED', reason: expect.any(String) });
      expect(end.at - bannedAt).toBeLessThan(2_000);
    }
    // Someone else's session goes on.
    expect(bystander.connected).toBe(true);
    expect(await ask(bystander, 'giveaway:join', { giveaway_id: id })).toMatchObject({ ok: true });
    await expect(open({ initData: initDataFor(user) })).rejects.toMatchObject({
      data: { code: 'USER_BANNED' },
    });
  });

  it('made behind the API (no notice) still stops the next commands: each checks the standing now', async () => {
    const id = await newGiveaway(1);
    const user = { id: 2003 };
    const socket = await open({ initData: initDataFor(user) });
    const ended = endOf(socket);
    expect(await ask(socket, 'giveaway:subscribe', { giveaway_id: id })).toMatchObject({ ok: true });
    await db.pool.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [user.id]);
    // The standing is cached for at most 2 s; from then on the command is refused and the session ends.
    await expect
      .poll(() => ask(socket, 'giveaway:subscribe', { giveaway_id: id }).catch(() => 'no answer'), {
        timeout: 5_000,
        interval: 200,
      })
      .toMatchObject({ ok: false, error: { code: 'USER_BANNED' } });
    expect((await ended).event.code).toBe('USER_BANNED');
    const { rows } = await db.pool.query(
      'SELECT count(*)::int AS n FROM participants WHERE giveaway_id = $1 AND user_id = $2',
      [id, user.id],
    );
    expect(rows[0].n).toBe(0);
  });

  it('lifted lets the user connect and join again', async () => {
    const id = await newGiveaway(1);
    const user = { id: 2004 };
    const asAdmin = asUser(app.url, ADMIN);
    await me(initDataFor(user));
    await asAdmin(`/api/v1/users/${user.id}/status`, { method: 'PUT', json: { status: 'banned' } });
    await expect(open({ initData: initDataFor(user) })).rejects.toMatchObject({
      data: { code: 'USER_BANNED' },
    });
    await asAdmin(`/api/v1/users/${user.id}/status`, { method: 'PUT', json: { status: 'active' } });
    const socket = await open({ initData: initDataFor(user) });
    expect(await ask(socket, 'giveaway:join', { giveaway_id: id })).toMatchObject({
      ok: true,
      status: 'joined',
    });
  });
});

describe('an API key revocation', () => {
  it('ends the sockets opened with that key within 2 s, and only those', async () => {
    const id = await newGiveaway(1);
    const owner = { id: 2101 };
    const asOwner = asUser(app.url, owner);
    const keys = await Promise.all(
      ['bot', 'overlay'].map(async (name) => {
        const res = await asOwner('/api/v1/api-keys', { method: 'POST', json: { name } });
        return (await res.json()) as { id: string; key: string };
      }),
    );
    const [revoked, kept] = keys as [{ id: string; key: string }, { id: string; key: string }];
    const viaRevoked = await open({ apiKey: revoked.key });
    const viaKept = await open({ apiKey: kept.key });
    const viaInitData = await open({ initData: initDataFor(owner) });
    expect(await ask(viaRevoked, 'giveaway:join', { giveaway_id: id })).toMatchObject({ ok: true });
    const ended = endOf(viaRevoked);

    expect((await asOwner(`/api/v1/api-keys/${revoked.id}`, { method: 'DELETE' })).status).toBe(204);
    const revokedAt = Date.now();
    const end = await ended;
    expect(end.event).toMatchObject({ code: 'API_KEY_INVALID' });
    expect(end.at - revokedAt).toBeLessThan(2_000);
    expect(await ask(viaKept, 'giveaway:subscribe', { giveaway_id: id })).toMatchObject({ ok: true });
    expect(await ask(viaInitData, 'giveaway:subscribe', { giveaway_id: id })).toMatchObject({ ok: true });
    await expect(open({ apiKey: revoked.key })).rejects.toMatchObject({ data: { code: 'API_KEY_INVALID' } });
  });
});

describe('init-data expiry on a socket', () => {
  it('ends the right to act at auth_date + INIT_DATA_TTL, says so, and fresh init-data (auth:refresh) goes on', async () => {
    const id = await newGiveaway(1);
    const user = { id: 2201 };
    // Signed so that it expires about 3 s from now.
    const authDate = new Date(Math.floor(Date.now() / 1000) * 1000 - (TTL_SEC - 3) * 1000);
    // Less than a minute is left: the warning comes right at connect, so listen before connecting.
    const socket: TestSocket = io(`http://127.0.0.1:${app.app.realtimePort}`, {
      transports: ['websocket'],
      auth: { initData: initDataFor(user, { authDate }) },
      reconnection: false,
      forceNew: true,
      autoConnect: false,
    });
    sockets.push(socket);
    const warned = nextEvent<{ expires_at: string }>(socket, 'session:expiring');
    socket.connect();
    const expiring = await warned;
    expect(Date.parse(expiring.expires_at)).toBe(authDate.getTime() + TTL_SEC * 1000);
    const expired = await nextEvent<SessionEvent>(socket, 'session:expired', () => true, 6_000);
    expect(expired.code).toBe('INIT_DATA_EXPIRED');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiring.expires_at));

    expect(await ask(socket, 'giveaway:join', { giveaway_id: id })).toMatchObject({
      ok: false,
      error: { code: 'INIT_DATA_EXPIRED' },
    });
    // Watching public data goes on; the socket stays connected.
    expect(await ask(socket, 'giveaway:subscribe', { giveaway_id: id })).toMatchObject({ ok: true });

    // Refresh: another user's init-data, or one dated in the future, is refused and changes nothing.
    expect(await ask(socket, 'auth:refresh', { init_data: initDataFor({ id: 2202 }) })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const future = initDataFor(user, { authDate: new Date(Date.now() + 10 * 60_000) });
    expect(await ask(socket, 'auth:refresh', { init_data: future })).toMatchObject({
      ok: false,
      error: { code: 'INIT_DATA_INVALID' },
    });
    expect(await ask(socket, 'auth:refresh', { init_data: 42 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await ask(socket, 'giveaway:join', { giveaway_id: id })).toMatchObject({
      ok: false,
      error: { code: 'INIT_DATA_EXPIRED' },
    });

    const refreshed = await ask(socket, 'auth:refresh', { init_data: initDataFor(user) });
    expect(refreshed).toMatchObject({ ok: true, expires_at: expect.any(String) });
    expect(Date.parse(refreshed.expires_at)).toBeGreaterThan(Date.now() + (TTL_SEC - 60) * 1000);
    expect(await ask(socket, 'giveaway:join', { giveaway_id: id })).toEqual({ ok: true, status: 'joined' });
  });

  it('is refused for API key sockets (keys do not expire) and for viewers', async () => {
    const asOwner = asUser(app.url, { id: 2301 });
    const { key } = (await (
      await asOwner('/api/v1/api-keys', { method: 'POST', json: { name: 'k' } })
    ).json()) as {
      key: string;
    };
    for (const socket of [await open({ apiKey: key }), await open()]) {
      expect(await ask(socket, 'auth:refresh', { init_data: initDataFor({ id: 2301 }) })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
  });
});

describe('init-data dated in the future', () => {
  it('is refused beyond 60 s of clock skew, over REST and in the socket handshake; within it, accepted', async () => {
    const user = { id: 2401 };
    const ahead = initDataFor(user, { authDate: new Date(Date.now() + 10 * 60_000) });
    const res = await me(ahead);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'INIT_DATA_INVALID', details: { field: 'auth_date' } });
    await expect(open({ initData: ahead })).rejects.toMatchObject({ data: { code: 'INIT_DATA_INVALID' } });

    const skewed = initDataFor(user, { authDate: new Date(Date.now() + 30_000) });
    expect((await me(skewed)).status).toBe(200);
    const socket = await open({ initData: skewed });
    expect(socket.connected).toBe(true);
  });
});
