// Relay test rig: a Socket.IO node (node:http + sharded Redis adapter) with a minimal subscribe handler
// standing in for the gateway, the relay and presence under test, and socket.io-client viewers.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { roomOf, type GiveawaySnapshot } from '../../schema/contract/realtime.ts';
import { createLogger } from '../../server/platform/logger.ts';
import {
  ChangeRelay,
  Presence,
  type ChangeRelayOptions,
  type RealtimeServer,
} from '../../server/relay/index.ts';
import type { TestDatabase } from '../support/database.ts';

export const logger = createLogger((process.env.RELAY_TEST_LOG as 'info') ?? 'silent');

export interface Broadcast {
  event: string;
  volatile: boolean;
  at: number;
}

export interface TestNode {
  io: RealtimeServer;
  url: string;
  relay: ChangeRelay | null;
  presence: Presence | null;
  /** Every broadcast this node's io emitted, with its volatile flag (read from the adapter call). */
  broadcasts: Broadcast[];
  stop(): Promise<void>;
}

export async function startNode(opts: {
  db: TestDatabase;
  redisUrl: string;
  keyPrefix: string;
  nodeId: string;
  relay?: Partial<ChangeRelayOptions> | false;
  presence?: boolean;
}): Promise<TestNode> {
  const http = createServer();
  const io: RealtimeServer = new Server(http, { transports: ['websocket'] });
  const pub = new Redis(opts.redisUrl);
  const sub = pub.duplicate();
  io.adapter(createShardedAdapter(pub, sub, { channelPrefix: `${opts.keyPrefix}sio` }));
  const adapter = io.of('/').adapter;
  const broadcasts: Broadcast[] = [];
  const original = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, o) => {
    const data = packet.data as unknown[];
    broadcasts.push({ event: String(data[0]), volatile: Boolean(o.flags?.volatile), at: Date.now() });
    original(packet, o);
  };
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
  const relay =
    opts.relay === false
      ? null
      : new ChangeRelay({
          connectionString: opts.db.url,
          pool: opts.db.pool,
          io,
          logger,
          nodeId: opts.nodeId,
          presence: presence ?? undefined,
          watchersMs: 300,
          ...opts.relay,
        });
  relay?.start();
  return {
    io,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    relay,
    presence,
    broadcasts,
    async stop() {
      await relay?.stop();
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

/** A connected client subscribed to the giveaway's room, recording every event it receives. */
export async function viewer(url: string, giveawayId: string): Promise<Viewer> {
  const socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const received: Received[] = [];
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload, at: Date.now() }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const ack = await socket.timeout(5_000).emitWithAck('giveaway:subscribe', { giveaway_id: giveawayId });
  if (!ack.ok) throw new Error('subscribe failed');
  // The sharded adapter subscribes to a new room's channel asynchronously (SSUBSCRIBE).
  await sleep(150);
  return {
    socket,
    received,
    of: (event) => received.filter((r) => r.event === event).map((r) => r.payload),
    close: () => socket.disconnect(),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
  return Date.now() - started;
}

export async function insertGiveaway(pool: pg.Pool): Promise<string> {
  await pool.query(`INSERT INTO users (id, username) VALUES (1, 'creator') ON CONFLICT DO NOTHING`);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
     VALUES (1, 'Relay test', now(), now() + interval '1 hour', 3600, 2) RETURNING id`,
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('insert failed');
  // Let the relay publish the insert itself before a test subscribes, so tests see only their own changes.
  await sleep(250);
  return id;
}

export async function versionOf(pool: pg.Pool, id: string): Promise<number> {
  const { rows } = await pool.query<{ version: string }>('SELECT version FROM giveaways WHERE id = $1', [id]);
  return Number(rows[0]?.version);
}
