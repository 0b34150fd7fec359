// The local relay of one node, driven by a delivery path the test switches: silent while Redis works, it
// relays the giveaways this node's sockets watch (and only those) while the path is local, and for a short
// overlap after it is back.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { roomOf, type GiveawaySnapshot } from '../../schema/contract/realtime.ts';
import { ChangeFeed } from '../../server/platform/change-feed/index.ts';
import type { DeliveryMode, DeliveryPath } from '../../server/platform/realtime/index.ts';
import { LocalRelay, RoomEmitter, relayMetrics, type RealtimeServer } from '../../server/relay/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertGiveaway, logger, viewer } from './support.ts';

class SwitchedPath implements DeliveryPath {
  mode: DeliveryMode = 'redis';
  private readonly callbacks = new Set<(mode: DeliveryMode) => void>();
  onModeChange(cb: (mode: DeliveryMode) => void) {
    this.callbacks.add(cb);
    return () => this.callbacks.delete(cb);
  }
  set(mode: DeliveryMode) {
    this.mode = mode;
    for (const cb of this.callbacks) cb(mode);
  }
}

const OVERLAP_MS = 600;
let db: TestDatabase;
let io: RealtimeServer;
let url: string;
let feed: ChangeFeed;
let relay: LocalRelay;
const path = new SwitchedPath();
/** Every event the local relay handed to Socket.IO. */
const sent: Array<{ id: string; event: string }> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const http = createServer();
  io = new Server(http, { transports: ['websocket'] });
  io.on('connection', (socket) => {
    socket.on('giveaway:subscribe', async (p, ack) => {
      await socket.join(roomOf(p.giveaway_id));
      ack({ ok: true, snapshot: {} as GiveawaySnapshot });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  feed = new ChangeFeed({ connectionString: db.url, logger, applicationName: 'gw-local-relay-test' });
  feed.start();
  const metrics = relayMetrics(undefined);
  relay = new LocalRelay({
    feed,
    path,
    pool: db.pool,
    io,
    emitter: new RoomEmitter({
      io,
      logger,
      metrics,
      scope: 'local',
      onEmitted: (id, e) => sent.push({ id, event: e.event }),
    }),
    logger,
    metrics,
    overlapMs: OVERLAP_MS,
    // Every finished giveaway is "long ago" to its resyncs, as one older than the default 600 s would be.
    recentSec: 0,
  });
  relay.start();
  await vi.waitFor(() => expect(feed.connected).toBe(true), { timeout: 5_000 });
});

afterAll(async () => {
  await relay?.stop();
  await feed?.stop();
  await io?.close();
  await db?.drop();
});

/** One node with the in-memory adapter: a join is in place when the subscribe ack comes. */
const local = () => ({ url, roomChannelsReady: () => Promise.resolve() });

const setCount = (id: string, n: number) =>
  db.pool.query('UPDATE giveaways SET participants_count = $2 WHERE id = $1', [id, n]);

describe('LocalRelay', () => {
  it('relays the watched giveaways to this node’s sockets while the path is local, then hands over after the overlap', async () => {
    const watched = await insertGiveaway(db.pool);
    const unwatched = await insertGiveaway(db.pool);
    const client = await viewer(local(), watched);

    // Redis path up: the cluster relay's job, not this one's.
    const heard = new Promise<void>((resolve) => {
      const off = feed.onChange((changes) => {
        if (changes.some((c) => c.giveawayId === watched)) resolve(off());
      });
    });
    await setCount(watched, 1);
    await heard;
    expect(relay.isActive).toBe(false);
    expect(sent.filter((s) => s.id === watched)).toEqual([]);

    path.set('local');
    expect(relay.isActive).toBe(true);
    // It first re-sends the full state of what this node watches (count and status, no `since`).
    await expect.poll(() => client.of('giveaway:status').length).toBe(1);
    expect(client.of('giveaway:count').at(-1)).toMatchObject({ giveaway_id: watched, participants_count: 1 });
    expect(client.of('giveaway:count').at(-1)).not.toHaveProperty('since');

    await setCount(watched, 2);
    await setCount(unwatched, 5);
    await expect.poll(() => client.of('giveaway:count').at(-1)?.participants_count).toBe(2);
    await db.pool.query(`UPDATE giveaways SET status = 'completed', finished_at = now() WHERE id = $1`, [
      watched,
    ]);
    await expect.poll(() => client.of('giveaway:drawn').length).toBe(1);
    expect(client.of('giveaway:status').at(-1)).toMatchObject({ status: 'completed' });
    expect(sent.filter((s) => s.id === unwatched)).toEqual([]);

    // Back on Redis: still relaying during the overlap, then stopped.
    path.set('redis');
    expect(relay.isActive).toBe(true);
    await expect.poll(() => relay.isActive, { timeout: OVERLAP_MS + 2_000 }).toBe(false);
    client.close();
  });

  it('keeps relaying when the path drops again during the overlap', async () => {
    const id = await insertGiveaway(db.pool);
    const client = await viewer(local(), id);
    path.set('local');
    await expect.poll(() => client.of('giveaway:count').length).toBeGreaterThan(0);
    path.set('redis');
    path.set('local');
    // Changes keep arriving for well over the overlap: the drop cancelled the pending stop.
    const until = Date.now() + OVERLAP_MS * 2;
    for (let n = 3; Date.now() < until; n++) {
      await setCount(id, n);
      await expect.poll(() => client.of('giveaway:count').at(-1)?.participants_count).toBe(n);
    }
    expect(relay.isActive).toBe(true);
    path.set('redis');
    await expect.poll(() => relay.isActive, { timeout: OVERLAP_MS + 2_000 }).toBe(false);
    client.close();
  });

  it('announces a new claim on a giveaway that finished long ago, and nothing from its history', async () => {
    await db.pool.query(
      `INSERT INTO users (id, username) VALUES (1, 'creator'), (2, 'alice'), (3, 'bob') ON CONFLICT DO NOTHING`,
    );
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count, status)
       VALUES (1, 'Drawn long ago', now() - interval '2 days', now() - interval '1 day', 86400, 2, 'completed')
       RETURNING id`,
    );
    const id = rows[0]?.id ?? '';
    const appendClaim = (seq: number, userId: number, at = 'now()') =>
      db.pool.query(
        `WITH g AS (UPDATE giveaways SET winner_events_count = $2 WHERE id = $1)
         INSERT INTO winner_events (giveaway_id, seq, kind, place, user_id, created_at)
         VALUES ($1, $2, 'claimed', $2, $3, ${at})`,
        [id, seq, userId],
      );
    await appendClaim(1, 2, `now() - interval '1 hour'`);
    const fence = await insertGiveaway(db.pool);
    const client = await viewer(local(), id);
    const fenceClient = await viewer(local(), fence);
    path.set('local');
    // The resync that starts the relay sends the live fence's state and lets the finished giveaway go.
    await expect.poll(() => fenceClient.of('giveaway:status').length).toBe(1);

    await appendClaim(2, 3);
    await expect.poll(() => client.of('giveaway:claimed')).toHaveLength(1);
    expect(client.of('giveaway:claimed')[0]).toMatchObject({ giveaway_id: id, place: 2, user_id: 3 });
    expect(client.of('giveaway:drawn')).toEqual([]);
    expect(client.of('giveaway:updated')).toHaveLength(1);

    path.set('redis');
    await expect.poll(() => relay.isActive, { timeout: OVERLAP_MS + 2_000 }).toBe(false);
    client.close();
    fenceClient.close();
  });
});
