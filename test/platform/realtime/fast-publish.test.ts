// uWS topics only where broadcasts use them (fast-publish.ts): a websocket is subscribed to the rooms it joins,
// not to its own id room nor to the namespace (~0.7 KB of RSS per idle connection), and what no topic
// carries (an id room, the whole namespace) still reaches websocket sockets through the per-socket path. A
// socket that joins a room on long-polling gets the room's topic when it upgrades.
import type { Socket } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { roomOf } from '../../../schema/contract/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { createBody } from '../../support/giveaway-fixtures.ts';
import { ask, connectSocket, nextEvent, type TestSocket } from '../../support/socket-client.ts';
import { asUser, TEST_BOT_TOKEN } from '../../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let db: TestDatabase;
let app: TestApp;
let giveawayId: string;
const clients: TestSocket[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: db.url, BOT_TOKEN: TEST_BOT_TOKEN, RATE_LIMIT: 'off' });
  const res = await asUser(app.url, { id: 1 })('/api/v1/giveaways', { method: 'POST', json: createBody() });
  giveawayId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await app?.stop();
  await db?.drop();
});

function io() {
  const server = app.app.io;
  if (!server) throw new Error('realtime role expected');
  return server;
}

/** The uWS topics a server-side socket's websocket is subscribed to. */
function topicsOf(socket: Socket): string[] {
  const ws = (socket.conn as unknown as { transport: { socket: { getTopics(): string[] } } }).transport
    .socket;
  return ws.getTopics();
}

const topic = (room: string) => `/\x1f${room}`;
const count = (version: number) => ({ giveaway_id: giveawayId, version, participants_count: version });

describe('uWS topics of a websocket', () => {
  it('are the rooms it joined, not its own id room nor the namespace, and follow leaves', async () => {
    const client = await connectSocket(app.app.realtimePort);
    clients.push(client);
    const socket = io()
      .of('/')
      .sockets.get(client.id ?? '');
    if (!socket) throw new Error('server-side socket not found');
    expect(topicsOf(socket)).toEqual([]);

    await ask(client, 'giveaway:subscribe', { giveaway_id: giveawayId });
    expect(topicsOf(socket)).toEqual([topic(roomOf(giveawayId))]);

    await ask(client, 'giveaway:unsubscribe', { giveaway_id: giveawayId });
    expect(topicsOf(socket)).toEqual([]);
  });

  it('still receive what no topic carries: emits to its id room and to the whole namespace', async () => {
    const client = await connectSocket(app.app.realtimePort);
    clients.push(client);
    const direct = nextEvent(client, 'giveaway:count', (e: { version: number }) => e.version === 2_000_001);
    io()
      .to(client.id ?? '')
      .emit('giveaway:count', count(2_000_001));
    await direct;
    const everyone = nextEvent(client, 'giveaway:count', (e: { version: number }) => e.version === 2_000_002);
    io().emit('giveaway:count', count(2_000_002));
    await everyone;
  });

  it('no longer get a room broadcast after leaving the room', async () => {
    const client = await connectSocket(app.app.realtimePort);
    clients.push(client);
    const seen: number[] = [];
    client.on('giveaway:count', (e: { version: number }) => {
      if (e.version > 3_000_000) seen.push(e.version);
    });
    await ask(client, 'giveaway:subscribe', { giveaway_id: giveawayId });
    io().to(roomOf(giveawayId)).emit('giveaway:count', count(3_000_001));
    await expect.poll(() => seen).toEqual([3_000_001]);
    await ask(client, 'giveaway:unsubscribe', { giveaway_id: giveawayId });
    io().to(roomOf(giveawayId)).emit('giveaway:count', count(3_000_002));
    // The fence: an event on the socket's own path sent after the broadcast arrives after it would have.
    io()
      .to(client.id ?? '')
      .emit('giveaway:count', count(3_000_003));
    await expect.poll(() => seen).toEqual([3_000_001, 3_000_003]);
  });
});

describe('a client that leaves the namespace but keeps its connection', () => {
  it('stops getting the broadcasts of the rooms its socket was in (topics do not outlive the socket)', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.app.realtimePort}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    ws.on('message', (data: Buffer) => frames.push(data.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const connectedSockets = () => frames.filter((f) => f.startsWith('40{'));
    const sidOf = (frame: string) => (JSON.parse(frame.slice(2)) as { sid: string }).sid;
    ws.send('40');
    await expect.poll(() => connectedSockets()).toHaveLength(1);
    ws.send(`420["giveaway:subscribe",{"giveaway_id":"${giveawayId}"}]`);
    await expect.poll(() => frames.some((f) => f.startsWith('430[{"ok":true'))).toBe(true);
    const first = io()
      .of('/')
      .sockets.get(sidOf(connectedSockets()[0] ?? ''));
    if (!first) throw new Error('server-side socket not found');
    expect(topicsOf(first)).toEqual([topic(roomOf(giveawayId))]);

    ws.send('41'); // leave the namespace; the websocket stays open
    ws.send('40'); // and come back as a new socket that joined nothing
    await expect.poll(() => connectedSockets()).toHaveLength(2);
    const second = io()
      .of('/')
      .sockets.get(sidOf(connectedSockets()[1] ?? ''));
    if (!second) throw new Error('server-side socket not found');
    expect(topicsOf(second)).toEqual([]);

    io().to(roomOf(giveawayId)).emit('giveaway:count', count(5_000_001));
    // The fence: sent after the room broadcast on the same connection, so it arrives after it would have.
    io().to(second.id).emit('giveaway:count', count(5_000_002));
    const counts = () => frames.filter((f) => f.startsWith('42["giveaway:count"') && f.includes('500000'));
    await expect.poll(() => counts().length).toBe(1);
    expect(counts()[0]).toContain('5000002');
    ws.close();
  });
});

describe('a socket that joins a room on long-polling', () => {
  it('gets the room topic and its broadcasts once it upgrades to websocket', async () => {
    const base = `http://127.0.0.1:${app.app.realtimePort}/socket.io/?EIO=4&transport=polling`;
    // Engine.IO v4 by hand, so the upgrade comes exactly after the join.
    const open = await (await fetch(base)).text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const poll = `${base}&sid=${sid}`;
    const post = (body: string) => fetch(poll, { method: 'POST', body }).then((r) => r.text());
    /** Long-polls until a packet starting with `prefix` arrives (packets are separated by \x1e). */
    const receive = async (prefix: string) => {
      for (;;) {
        const packets = (await (await fetch(poll)).text()).split('\x1e');
        const found = packets.find((p) => p.startsWith(prefix));
        if (found) return found;
      }
    };
    expect(await post('40')).toBe('ok');
    const connected = await receive('40');
    const socketId = (JSON.parse(connected.slice(2)) as { sid: string }).sid;
    await post(`420["giveaway:subscribe",{"giveaway_id":"${giveawayId}"}]`);
    expect(await receive('430')).toMatch(/^430\[\{"ok":true/);
    const socket = io().of('/').sockets.get(socketId);
    if (!socket) throw new Error('server-side socket not found');
    expect(socket.conn.transport.name).toBe('polling');

    const ws = new WebSocket(
      `ws://127.0.0.1:${app.app.realtimePort}/socket.io/?EIO=4&transport=websocket&sid=${sid}`,
    );
    const frames: string[] = [];
    ws.on('message', (data: Buffer) => frames.push(data.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send('2probe');
    await expect.poll(() => frames).toContain('3probe');
    ws.send('5');
    await expect.poll(() => socket.conn.transport.name).toBe('websocket');
    expect(topicsOf(socket)).toEqual([topic(roomOf(giveawayId))]);

    io().to(roomOf(giveawayId)).emit('giveaway:count', count(4_000_001));
    await expect
      .poll(() => frames.filter((f) => f.startsWith('42["giveaway:count"') && f.includes('4000001')))
      .toHaveLength(1);
    ws.close();
  });
});
