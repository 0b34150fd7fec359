// The realtime gateway on one node: transports, handshake auth, commands and their acks, hostile input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { ask, connectSocket, type TestSocket } from '../support/socket-client.ts';
import { asUser, initDataFor, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { roomOf } from '../../schema/contract/index.ts';

let db: TestDatabase;
let app: TestApp;
let giveawayId: string;
const sockets: TestSocket[] = [];
const open = async (...args: Parameters<typeof connectSocket>) => {
  const s = await connectSocket(...args);
  sockets.push(s);
  return s;
};

async function newGiveaway(): Promise<string> {
  const res = await asUser(app.url, { id: 1 })('/api/v1/giveaways', { method: 'POST', json: createBody() });
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: db.url, BOT_TOKEN: TEST_BOT_TOKEN, RATE_LIMIT: 'off' });
  giveawayId = await newGiveaway();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.stop();
  await db?.drop();
});

describe('realtime gateway', () => {
  it('serves both transports and answers subscribe with the public snapshot and its version', async () => {
    for (const transports of [['websocket'], ['polling']] as const) {
      const socket = await open(app.app.realtimePort, { transports: [...transports] });
      const ack = await ask(socket, 'giveaway:subscribe', { giveaway_id: giveawayId });
      expect(ack).toMatchObject({
        ok: true,
        snapshot: { id: giveawayId, status: 'active', version: expect.any(Number) },
      });
      expect(ack.snapshot).not.toHaveProperty('user_role');
      expect(await ask(socket, 'giveaway:unsubscribe', { giveaway_id: giveawayId })).toEqual({ ok: true });
    }
  });

  it('delivers a room broadcast once to websocket and long-polling watchers alike (the uWS fast path)', async () => {
    // Its own giveaway, and versions the relay never reaches: only this test's broadcasts are counted (the relay
    // announces the new giveaway, and another test's join, into rooms too).
    const giveawayId = await newGiveaway();
    const V = 1_000_000;
    const ws = await open(app.app.realtimePort, { transports: ['websocket'] });
    const polling = await open(app.app.realtimePort, { transports: ['polling'] });
    const outsider = await open(app.app.realtimePort, { transports: ['polling'] });
    for (const s of [ws, polling]) await ask(s, 'giveaway:subscribe', { giveaway_id: giveawayId });
    const seen = new Map<TestSocket, number[]>([
      [ws, []],
      [polling, []],
      [outsider, []],
    ]);
    for (const [s, log] of seen)
      s.on('giveaway:count', (e: { version: number; participants_count: number }) => {
        if (e.version > V) log.push(e.participants_count);
      });
    const io = app.app.io;
    if (!io) throw new Error('realtime role expected');
    io.to(roomOf(giveawayId)).emit('giveaway:count', {
      giveaway_id: giveawayId,
      version: V + 1,
      participants_count: 7,
    });
    // The fence: a later event on the outsider's own path proves it had its chance to receive the first.
    io.to(roomOf(giveawayId)).emit('giveaway:count', {
      giveaway_id: giveawayId,
      version: V + 2,
      participants_count: 8,
    });
    await expect
      .poll(() => [seen.get(ws), seen.get(polling)])
      .toEqual([
        [7, 8],
        [7, 8],
      ]);
    io.emit('giveaway:count', { giveaway_id: giveawayId, version: V + 3, participants_count: 9 });
    await expect.poll(() => seen.get(outsider)).toEqual([9]);
  });

  it('lets an authenticated socket join through the batched path; viewers may not join', async () => {
    const user = await open(app.app.realtimePort, { auth: { initData: initDataFor({ id: 42 }) } });
    expect(await ask(user, 'giveaway:join', { giveaway_id: giveawayId })).toEqual({
      ok: true,
      status: 'joined',
    });
    expect(await ask(user, 'giveaway:join', { giveaway_id: giveawayId, idempotency_key: 'k1' })).toEqual({
      ok: true,
      status: 'already_joined',
    });
    const viewer = await open(app.app.realtimePort);
    expect(await ask(viewer, 'giveaway:join', { giveaway_id: giveawayId })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    const { rows } = await db.pool.query('SELECT participants_count FROM giveaways WHERE id = $1', [
      giveawayId,
    ]);
    expect(rows[0].participants_count).toBe(1);
  });

  it('refuses a forged handshake with a coded connect error', async () => {
    await expect(
      connectSocket(app.app.realtimePort, {
        auth: { initData: initDataFor({ id: 42 }, { token: '1:other-token-abcdefghijklmnopqrstu' }) },
      }),
    ).rejects.toMatchObject({ data: { code: 'INIT_DATA_INVALID' } });
  });

  it('answers malformed payloads, unknown giveaways and unknown events with clear error acks', async () => {
    const socket = await open(app.app.realtimePort);
    for (const bad of [null, 'x', 42, [], { giveaway_id: 'nope' }, { giveaway_id: giveawayId, extra: 1 }]) {
      expect(await ask(socket, 'giveaway:subscribe', bad)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION' },
      });
    }
    expect(
      await ask(socket, 'giveaway:subscribe', { giveaway_id: '00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await ask(socket, 'admin:drop-tables', {})).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    // Commands without an ack callback must not crash anything.
    (socket as any).emit('giveaway:subscribe', { giveaway_id: giveawayId });
    expect(await ask(socket, 'giveaway:subscribe', { giveaway_id: giveawayId })).toMatchObject({ ok: true });
  });

  it('closes a connection that sends an oversized payload, and keeps serving others', async () => {
    const socket = await open(app.app.realtimePort);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    socket.emit('giveaway:subscribe', { giveaway_id: 'x'.repeat(100_000) }, () => undefined);
    expect(await closed).toMatch(/transport (close|error)/);
    const other = await open(app.app.realtimePort);
    expect(await ask(other, 'giveaway:subscribe', { giveaway_id: giveawayId })).toMatchObject({ ok: true });
  });

  it('survives thousands of subscribe/unsubscribe cycles without leaking rooms', async () => {
    const socket = await open(app.app.realtimePort);
    for (let i = 0; i < 1000; i++) {
      socket.emit('giveaway:subscribe', { giveaway_id: giveawayId }, () => undefined);
      socket.emit('giveaway:unsubscribe', { giveaway_id: giveawayId }, () => undefined);
    }
    expect(await ask(socket, 'giveaway:unsubscribe', { giveaway_id: giveawayId })).toEqual({ ok: true });
    const sid = socket.id ?? '';
    const inRoom = () => app.app.io?.of('/').adapter.rooms.get(`giveaway:${giveawayId}`)?.has(sid) ?? false;
    expect(inRoom()).toBe(false);
    await ask(socket, 'giveaway:subscribe', { giveaway_id: giveawayId });
    expect(inRoom()).toBe(true);
    socket.disconnect();
    await expect.poll(inRoom).toBe(false);
  });
});
