// Relay test rig: a Socket.IO node (node:http + sharded Redis adapter) with a minimal subscribe handler
// standing in for the gateway, the relay (on its own ChangeFeed and LeaderLock) and presence under test, and
// socket.io-client viewers.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { expect, vi } from 'vitest';
import { roomOf, type GiveawaySnapshot } from '../../schema/contract/realtime.ts';
import { createLogger } from '../../server/platform/logger.ts';
import { ChangeFeed, LeaderLock } from '../../server/platform/change-feed/index.ts';
import {
  ChangeRelay,
  Presence,
  RELAY_LOCK_KEY,
  RoomEmitter,
  WatcherPublisher,
  relayMetrics,
  type ChangeRelayOptions,
  type RealtimeServer,
} from '../../server/relay/index.ts';
import type { TestDatabase } from '../support/database.ts';

export const logger = createLogger((process.env.RELAY_TEST_LOG as 'info') ?? 'silent');

export interface Broadcast {
  giveawayId: string;
  event: string;
  volatile: boolean;
  at: number;
}

export interface TestNode {
  io: RealtimeServer;
  url: string;
  relay: ChangeRelay | null;
  /** The node's LISTEN connection (what a scheduler on this node would subscribe to). */
  feed: ChangeFeed;
  presence: Presence | null;
  /** Every event this node's relay handed to Socket.IO, with its volatile flag (the emitter's tap). */
  broadcasts: Broadcast[];
  /** Resolves once every room subscription this node's adapter has asked Redis for so far is in place. */
  roomChannelsReady(): Promise<void>;
  /** Resolves once every broadcast started so far has reached this node's own sockets. */
  broadcastsDelivered(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNode(opts: {
  db: TestDatabase;
  redisUrl: string;
  keyPrefix: string;
  nodeId: string;
  relay?: Pick<ChangeRelayOptions, 'tickMs' | 'resyncEveryMs' | 'recentSec'> | false;
  presence?: boolean;
}): Promise<TestNode> {
  const http = createServer();
  const io: RealtimeServer = new Server(http, { transports: ['websocket'] });
  const pub = new Redis(opts.redisUrl);
  const sub = pub.duplicate();
  io.adapter(createShardedAdapter(pub, sub, { channelPrefix: `${opts.keyPrefix}sio` }));
  // The cluster adapter publishes a broadcast to Redis first and hands it to local sockets only after Redis
  // answered, so a socket joining a room right after an emit may still get it: track those in flight.
  const adapter = io.of('/').adapter as unknown as {
    broadcast(packet: unknown, opts: unknown): Promise<void>;
  };
  const broadcast = adapter.broadcast.bind(adapter);
  const inFlight = new Set<Promise<void>>();
  adapter.broadcast = (packet, bopts) => {
    const delivery = broadcast(packet, bopts).finally(() => inFlight.delete(delivery));
    inFlight.add(delivery);
    return delivery;
  };
  const broadcasts: Broadcast[] = [];
  io.on('connection', (socket) => {
    socket.on('giveaway:subscribe', async (p, ack) => {
      await socket.join(roomOf(p.giveaway_id));
      ack({ ok: true, snapshot: {} as GiveawaySnapshot });
    });
    socket.on('giveaway:unsubscribe', async (p, ack) => {
      await socket.leave(roomOf(p.giveaway_id));
      ack({ ok: true });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const presence = opts.presence
    ? new Presence({ io, redis: pub, keyPrefix: opts.keyPrefix, nodeId: opts.nodeId, logger, flushMs: 200 })
    : null;
  presence?.start();
  const target = { connectionString: opts.db.url, logger };
  const feed = new ChangeFeed({ ...target, applicationName: `gw-relay-listen:${opts.nodeId}` });
  const metrics = relayMetrics(undefined);
  const emitter = new RoomEmitter({
    io,
    logger,
    metrics,
    onEmitted: (giveawayId, e) =>
      broadcasts.push({ giveawayId, event: e.event, volatile: e.volatile, at: Date.now() }),
  });
  const relay =
    opts.relay === false
      ? null
      : new ChangeRelay({
          feed,
          lock: new LeaderLock({
            ...target,
            lockKey: RELAY_LOCK_KEY,
            eligible: false,
            applicationName: `gw-relay-lock:${opts.nodeId}`,
          }),
          pool: opts.db.pool,
          emitter,
          watchers: presence
            ? new WatcherPublisher({ presence, pool: opts.db.pool, emitter, logger, metrics })
            : undefined,
          logger,
          metrics,
          watchersMs: 300,
          ...opts.relay,
        });
  feed.start();
  relay?.start();
  return {
    io,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    relay,
    feed,
    presence,
    broadcasts,
    async roomChannelsReady() {
      // The sharded adapter sends SSUBSCRIBE for a new room on this connection without waiting for it; Redis
      // answers a connection's commands in order, so the answer to a later PING means the subscription is live.
      await sub.ping();
    },
    async broadcastsDelivered() {
      await Promise.allSettled([...inFlight]);
    },
    async stop() {
      await relay?.stop();
      await feed.stop();
      await presence?.stop();
      await io.close();
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

export interface Received {
  event: string;
  payload: any;
  at: number;
}

export interface Viewer {
  socket: ClientSocket;
  received: Received[];
  of(event: string): any[];
  close(): void;
}

/** A connected client subscribed to the giveaway's room on `node`, recording every event it receives. */
export async function viewer(
  node: Pick<TestNode, 'url' | 'roomChannelsReady'>,
  giveawayId: string,
): Promise<Viewer> {
  const socket = connect(node.url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const received: Received[] = [];
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload, at: Date.now() }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const ack = await socket.timeout(5_000).emitWithAck('giveaway:subscribe', { giveaway_id: giveawayId });
  if (!ack.ok) throw new Error('subscribe failed');
  // The join (done before the ack) made the adapter subscribe to the room's channel: events another node
  // publishes reach this viewer once that subscription is in place.
  await node.roomChannelsReady();
  return {
    socket,
    received,
    of: (event) => received.filter((r) => r.event === event).map((r) => r.payload),
    close: () => socket.disconnect(),
  };
}

/**
 * Inserts a giveaway. With `relayedBy`, waits until one of those nodes' relay has published the insert, so a
 * test that subscribes afterwards sees only its own changes.
 */
export async function insertGiveaway(pool: pg.Pool, relayedBy: readonly TestNode[] = []): Promise<string> {
  await pool.query(`INSERT INTO users (id, username) VALUES (1, 'creator') ON CONFLICT DO NOTHING`);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
     VALUES (1, 'Relay test', now(), now() + interval '1 hour', 3600, 2) RETURNING id`,
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('insert failed');
  if (relayedBy.length > 0) {
    // A giveaway new to the relay gets its status announced (with its count) in one pass.
    await expect
      .poll(
        () =>
          relayedBy.some((n) =>
            n.broadcasts.some((b) => b.giveawayId === id && b.event === 'giveaway:status'),
          ),
        { timeout: 15_000, message: 'the relay to publish the insert' },
      )
      .toBe(true);
    await Promise.all(relayedBy.map((n) => n.broadcastsDelivered()));
  }
  return id;
}

/** Resolves once one of `nodes` holds the relay lock. vi.waitFor, as expect.poll may not run in a hook. */
/** Waits until one node leads and has caught up (its takeover resync done): changes after this are told. */
export async function leaderAmong(...nodes: TestNode[]): Promise<void> {
  await vi.waitFor(() => expect(nodes.some((n) => n.relay?.isCaughtUp === true)).toBe(true), {
    timeout: 15_000,
    interval: 20,
  });
}

export async function versionOf(pool: pg.Pool, id: string): Promise<number> {
  const { rows } = await pool.query<{ version: string }>('SELECT version FROM giveaways WHERE id = $1', [id]);
  return Number(rows[0]?.version);
}
