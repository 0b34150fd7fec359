// Watcher counts across nodes. Each node reads its local room sizes from the Socket.IO adapter (the rooms
// map is the truth, so subscribe, unsubscribe and disconnect need no calls from the gateway), publishes the
// changed ones to Redis, and the leader relay sums them. Without Redis (single node) local counts are the total.
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.ts';
import { roomOf } from '../../schema/contract/realtime.ts';
import type { RealtimeServer } from './realtime-server.ts';

/** What the leader relay reads: giveaways whose total may have changed, with their current total. */
export interface WatcherSource {
  collect(): Promise<Map<string, number>>;
}

export interface PresenceOptions {
  io: RealtimeServer;
  redis: Redis | null;
  keyPrefix: string;
  nodeId: string;
  logger: Logger;
  /** How often changed local counts are written. Default 1 s. */
  flushMs?: number;
  /** Every count is rewritten this often, so a dead node's entries can be told apart by age. Default 5 s. */
  refreshMs?: number;
  /** Entries older than this come from a dead node and are ignored (and removed). Default 15 s. */
  staleMs?: number;
}

const ROOM_PREFIX = roomOf('');
const MAX_POP = 1_000;

export class Presence implements WatcherSource {
  private readonly log: Logger;
  private readonly flushMs: number;
  private readonly refreshMs: number;
  private readonly staleMs: number;
  /** Rooms whose local size changed since the last flush. */
  private dirty = new Set<string>();
  /** Giveaways with local watchers (what the refresh rewrites). */
  private readonly watched = new Set<string>();
  /** Single-node mode: flushed but not yet collected. */
  private localChanged = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastRefresh = 0;
  private flushing: Promise<void> | null = null;
  private failing = false;
  private detach: () => void = () => undefined;

  constructor(private readonly opts: PresenceOptions) {
    this.log = opts.logger.child({ module: 'presence' });
    this.flushMs = opts.flushMs ?? 1_000;
    this.refreshMs = opts.refreshMs ?? 5_000;
    this.staleMs = opts.staleMs ?? 15_000;
  }

  private get dirtyKey() {
    return `${this.opts.keyPrefix}watchers:dirty`;
  }

  private keyOf(giveawayId: string) {
    return `${this.opts.keyPrefix}watchers:${giveawayId}`;
  }

  /** Call after io.adapter(...) is set: setting an adapter replaces the namespace's adapter instance. */
  start(): void {
    if (this.timer) return;
    const adapter = this.opts.io.of('/').adapter;
    const onRoom = (room: string) => {
      if (room.startsWith(ROOM_PREFIX)) this.dirty.add(room.slice(ROOM_PREFIX.length));
    };
    adapter.on('join-room', onRoom);
    adapter.on('leave-room', onRoom);
    this.detach = () => {
      adapter.off('join-room', onRoom);
      adapter.off('leave-room', onRoom);
    };
    // Rooms joined before start() (none in normal wiring) are picked up here.
    for (const room of adapter.rooms.keys()) onRoom(room);
    this.timer = setInterval(() => {
      this.flushing ??= this.flush().finally(() => (this.flushing = null));
    }, this.flushMs);
  }

  /** Removes this node's counts at once, so totals drop without waiting for them to go stale. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.detach();
    await this.flushing;
    const redis = this.opts.redis;
    if (!redis || this.watched.size === 0) return;
    const multi = redis.multi();
    for (const id of this.watched) multi.hdel(this.keyOf(id), this.opts.nodeId).sadd(this.dirtyKey, id);
    await multi.exec().catch(() => undefined);
    this.watched.clear();
  }

  /** Sockets of this node in the giveaway's room. */
  localCount(giveawayId: string): number {
    return this.opts.io.of('/').adapter.rooms.get(roomOf(giveawayId))?.size ?? 0;
  }

  private async flush(): Promise<void> {
    const now = Date.now();
    const ids = this.dirty;
    this.dirty = new Set();
    const refresh = now - this.lastRefresh >= this.refreshMs;
    if (refresh) for (const id of this.watched) ids.add(id);
    const redis = this.opts.redis;
    if (!redis) {
      for (const id of ids) this.localChanged.add(id);
      return;
    }
    if (ids.size === 0) return;
    const multi = redis.multi();
    for (const id of ids) {
      const count = this.localCount(id);
      const key = this.keyOf(id);
      if (count > 0) {
        this.watched.add(id);
        multi.hset(key, this.opts.nodeId, `${count}:${now}`).pexpire(key, this.staleMs * 2);
      } else {
        this.watched.delete(id);
        multi.hdel(key, this.opts.nodeId);
      }
      multi.sadd(this.dirtyKey, id);
    }
    multi.pexpire(this.dirtyKey, this.staleMs * 4);
    try {
      await multi.exec();
      if (refresh) this.lastRefresh = now;
      if (this.failing) this.log.info('Presence writes restored');
      this.failing = false;
    } catch (err) {
      // Redis away: try these again next time (counts are re-read then, so nothing stale is written).
      for (const id of ids) this.dirty.add(id);
      if (!this.failing) this.log.warn({ err: (err as Error).message }, 'Presence write failed');
      this.failing = true;
    }
  }

  async collect(): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    const redis = this.opts.redis;
    if (!redis) {
      for (const id of this.localChanged) totals.set(id, this.localCount(id));
      this.localChanged.clear();
      return totals;
    }
    const ids: string[] = [];
    for (let round = 0; round < 10; round++) {
      const popped = await redis.spop(this.dirtyKey, MAX_POP);
      ids.push(...popped);
      if (popped.length < MAX_POP) break;
    }
    if (ids.length === 0) return totals;
    const read = await redis.pipeline(ids.map((id) => ['hgetall', this.keyOf(id)])).exec();
    const oldest = Date.now() - this.staleMs;
    const cleanup = redis.pipeline();
    ids.forEach((id, i) => {
      const fields = (read?.[i]?.[1] ?? {}) as Record<string, string>;
      let total = 0;
      for (const [node, value] of Object.entries(fields)) {
        const [count, at] = value.split(':').map(Number);
        if (Number.isFinite(count) && at !== undefined && at >= oldest) total += count ?? 0;
        else cleanup.hdel(this.keyOf(id), node);
      }
      totals.set(id, total);
    });
    if (cleanup.length > 0) await cleanup.exec().catch(() => undefined);
    return totals;
  }
}
