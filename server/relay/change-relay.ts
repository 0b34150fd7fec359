// The change relay: committed giveaway changes (NOTIFY wake-ups) become Socket.IO room events. Every node
// listens (so its scheduler can be woken); only the advisory-lock leader reads state, once per tick for all
// notified giveaways, and emits to each room at most once per tick. Resyncs cover what NOTIFY lost.
import { hostname } from 'node:os';
import type { ConnectionOptions } from 'node:tls';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type pg from 'pg';
import { roomOf, type ServerToClientEvents } from '../../schema/contract/realtime.ts';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import { ChangeListener, type ChangeNotification, type ChangeOp } from './change-listener.ts';
import { Leadership } from './leadership.ts';
import type { WatcherSource } from './presence.ts';
import type { RealtimeServer } from './realtime-server.ts';
import { relayMetrics, type RelayMetrics } from './relay-metrics.ts';
import {
  selectDrawResults,
  selectRerollsAfter,
  selectResyncStates,
  selectStates,
  type GiveawayState,
} from './relay.queries.ts';

export interface ChangeRelayOptions {
  connectionString: string;
  ssl?: false | ConnectionOptions;
  /** For the state reads (one query per tick); the LISTEN and lock sessions are the relay's own. */
  pool: pg.Pool;
  io: RealtimeServer;
  logger: Logger;
  tickMs?: number;
  metrics?: Metrics;
  /** Source of watcher totals (Presence); the leader publishes them every `watchersMs`. */
  presence?: WatcherSource;
  watchersMs?: number;
  /** Finished giveaways updated this recently are re-read by a resync. Default 600 s. */
  recentSec?: number;
  /** Safety-net resync while leading (also prunes memory). Default 5 min. */
  resyncEveryMs?: number;
  /** Names the relay's PostgreSQL sessions (application_name). Default host:pid. */
  nodeId?: string;
  lockKey?: number;
  /** Standby lock retry / leader heartbeat. Default 500 ms. */
  leaseRetryMs?: number;
}

export type ChangeCallback = (giveawayId: string, op: ChangeOp) => void;

/** What this relay last emitted per giveaway: the baseline for "what changed". */
interface Emitted {
  /** The newest version read; changes older than it are ignored. */
  version: number;
  /** The version of the last event sent into the room: the next event's `since`. */
  sentVersion: number | undefined;
  status: GiveawayState['status'];
  count: number;
  contentVersion: number;
  rerollsCount: number;
}

const RESYNC_CHUNK = 1_000;

export class ChangeRelay {
  private readonly log: Logger;
  private readonly io: RealtimeServer;
  private readonly pool: pg.Pool;
  private readonly tickMs: number;
  private readonly metrics: RelayMetrics;
  private readonly listener: ChangeListener;
  private readonly leadership: Leadership;
  private pending = new Map<string, ChangeNotification>();
  private readonly emitted = new Map<string, Emitted>();
  private readonly watchers = new Map<string, number>();
  private readonly changeCallbacks = new Set<ChangeCallback>();
  private resyncWanted = false;
  private lastResync = 0;
  private running = false;
  private tickTimer: NodeJS.Timeout | undefined;
  private watchersTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private watching: Promise<void> | null = null;
  private errors = 0;
  private pausedUntil = 0;

  constructor(private readonly opts: ChangeRelayOptions) {
    this.log = opts.logger.child({ module: 'change-relay' });
    this.io = opts.io;
    this.pool = opts.pool;
    this.tickMs = opts.tickMs ?? 100;
    this.metrics = relayMetrics(opts.metrics);
    const nodeId = opts.nodeId ?? `${hostname()}:${process.pid}`;
    const target = { connectionString: opts.connectionString, ssl: opts.ssl, logger: opts.logger };
    this.listener = new ChangeListener({ ...target, applicationName: `gw-relay-listen:${nodeId}` });
    this.leadership = new Leadership({
      ...target,
      applicationName: `gw-relay-lock:${nodeId}`,
      lockKey: opts.lockKey,
      retryMs: opts.leaseRetryMs,
    });
    this.listener.on('notification', (n) => this.collect(n));
    this.listener.on('connected', () => {
      // Notifications sent while we were away are lost: the leader re-reads everything live.
      this.resyncWanted = true;
      this.leadership.setEligible(true);
    });
    this.listener.on('disconnected', () => this.leadership.setEligible(false));
    this.leadership.on('leader', () => {
      // We may have missed anything while standing by: compare all live state with what we last emitted.
      this.resyncWanted = true;
      this.metrics.leader(true);
    });
    this.leadership.on('standby', () => this.metrics.leader(false));
  }

  get isLeader(): boolean {
    return this.leadership.isLeader;
  }

  /**
   * Called once per tick per changed giveaway on EVERY node (leader or standby), e.g. to wake the draw
   * scheduler. Returns an unsubscribe function. Callbacks must be cheap and must not throw.
   */
  onChange(cb: ChangeCallback): () => void {
    this.changeCallbacks.add(cb);
    return () => this.changeCallbacks.delete(cb);
  }

  /** Connects in the background (and keeps reconnecting); emits once this node holds the lock. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.listener.start();
    this.leadership.start();
    this.scheduleTick();
    if (this.opts.presence) {
      const presence = this.opts.presence;
      this.watchersTimer = setInterval(() => {
        if (!this.leadership.isLeader) return;
        this.watching ??= this.publishWatchers(presence).finally(() => (this.watching = null));
      }, this.opts.watchersMs ?? 1_000);
    }
  }

  /** Releases the lock first (a standby takes over on its next try), then closes both sessions. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.tickTimer);
    clearInterval(this.watchersTimer);
    await Promise.allSettled([this.ticking, this.watching]);
    await this.leadership.stop();
    await this.listener.stop();
  }

  private collect(n: ChangeNotification): void {
    const prev = this.pending.get(n.giveawayId);
    if (!prev || n.version >= prev.version) this.pending.set(n.giveawayId, n);
  }

  private scheduleTick(): void {
    if (!this.running) return;
    this.tickTimer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        this.scheduleTick();
      });
    }, this.tickMs);
  }

  private async tick(): Promise<void> {
    if (Date.now() < this.pausedUntil) return;
    const batch = this.pending;
    this.pending = new Map();
    for (const n of batch.values()) this.notifyCallbacks(n);
    // A standby only wakes local callbacks; the leader's resync covers whatever it ignored.
    if (!this.leadership.isLeader) return;
    const resyncEveryMs = this.opts.resyncEveryMs ?? 300_000;
    if (Date.now() - this.lastResync >= resyncEveryMs) this.resyncWanted = true;
    let stage = 'tick';
    try {
      if (this.resyncWanted) {
        stage = 'resync';
        this.resyncWanted = false;
        await this.resync();
        stage = 'tick';
      }
      if (batch.size > 0) {
        const states = await selectStates(this.pool, [...batch.keys()]);
        const found = new Set(states.map((s) => s.id));
        // Deleted giveaways: nothing to emit, forget the baseline.
        for (const id of batch.keys()) if (!found.has(id)) this.emitted.delete(id);
        await this.publish(states);
      }
      this.errors = 0;
    } catch (err) {
      if (stage === 'resync') this.resyncWanted = true;
      // Put the ids back unless newer notifications for them arrived meanwhile.
      for (const [id, n] of batch) if (!this.pending.has(id)) this.pending.set(id, n);
      this.errors++;
      this.pausedUntil = Date.now() + Math.min(this.tickMs * 2 ** this.errors, 5_000);
      this.metrics.failed(stage);
      if (this.errors === 1 || this.errors % 50 === 0) {
        this.log.error({ err: (err as Error).message, stage, errors: this.errors }, 'Relay pass failed');
      }
    }
  }

  private notifyCallbacks(n: ChangeNotification): void {
    for (const cb of this.changeCallbacks) {
      try {
        cb(n.giveawayId, n.op);
      } catch (err) {
        this.log.error({ err }, 'onChange callback threw');
      }
    }
  }

  /**
   * Re-reads every live and recently finished giveaway and emits what differs from what this relay last
   * emitted. A relay that just started knows nothing, so it emits the state of every such giveaway: clients
   * de-duplicate by version, and a duplicate is cheaper than a change lost during a takeover.
   */
  private async resync(): Promise<void> {
    const started = Date.now();
    const states = await selectResyncStates(this.pool, this.opts.recentSec ?? 600);
    const seen = new Set(states.map((s) => s.id));
    // Older finished giveaways leave the baseline; if one changes again it is emitted as new.
    for (const id of this.emitted.keys()) if (!seen.has(id)) this.emitted.delete(id);
    for (let i = 0; i < states.length; i += RESYNC_CHUNK) {
      await this.publish(states.slice(i, i + RESYNC_CHUNK));
      await yieldToLoop();
    }
    this.lastResync = started;
    this.log.info({ giveaways: states.length, ms: Date.now() - started }, 'Resynced');
  }

  private async publish(states: readonly GiveawayState[]): Promise<void> {
    const plans = [];
    for (const state of states) {
      const last = this.emitted.get(state.id);
      if (last && state.version <= last.version) continue;
      plans.push({
        state,
        last,
        status: !last || last.status !== state.status,
        count: !last || last.count !== state.participantsCount,
        updated: last !== undefined && last.contentVersion !== state.contentVersion,
        drawn: state.status === 'completed' && last?.status !== 'completed',
        // Only rerolls this relay saw happen: a client that (re)subscribes gets them in its snapshot.
        rerolledAfter:
          last !== undefined && state.rerollsCount > last.rerollsCount ? last.rerollsCount : undefined,
      });
    }
    const drawnIds = plans.filter((p) => p.drawn).map((p) => p.state.id);
    const rerolledAfter = plans.flatMap((p) =>
      p.rerolledAfter === undefined ? [] : [{ id: p.state.id, after: p.rerolledAfter }],
    );
    const [results, rerolls] = await Promise.all([
      selectDrawResults(this.pool, drawnIds),
      selectRerollsAfter(this.pool, rerolledAfter),
    ]);
    for (const { state, last, status, count, updated, drawn } of plans) {
      const room = roomOf(state.id);
      // `since` lets a client tell coalescing (versions skipped on purpose) from a missed event: it is the
      // version of the previous event sent into this room, absent when this relay has sent none yet.
      const since = last?.sentVersion;
      const base = {
        giveaway_id: state.id,
        version: state.version,
        ...(since !== undefined ? { since } : {}),
      };
      // Counts are volatile: the next tick supersedes a dropped one. Everything else is not.
      if (count)
        this.send(room, true, 'giveaway:count', { ...base, participants_count: state.participantsCount });
      if (status) this.send(room, false, 'giveaway:status', { ...base, status: state.status });
      if (updated) this.send(room, false, 'giveaway:updated', base);
      const result = drawn ? results.get(state.id) : undefined;
      if (result) this.send(room, false, 'giveaway:drawn', { ...base, ...result });
      const newRerolls = rerolls.get(state.id) ?? [];
      for (const reroll of newRerolls) this.send(room, false, 'giveaway:rerolled', { ...base, ...reroll });
      const sent = count || status || updated || result !== undefined || newRerolls.length > 0;
      this.emitted.set(state.id, {
        version: state.version,
        sentVersion: sent ? state.version : last?.sentVersion,
        status: state.status,
        count: state.participantsCount,
        contentVersion: state.contentVersion,
        rerollsCount: state.rerollsCount,
      });
    }
  }

  /**
   * Hot path: one room, no except(), so Socket.IO on uWS publishes natively and the sharded adapter reaches
   * only the nodes hosting the room.
   */
  private send<E extends keyof ServerToClientEvents>(
    room: string,
    volatile: boolean,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void {
    try {
      const target = volatile ? this.io.to(room).volatile : this.io.to(room);
      target.emit(event, ...args);
      this.metrics.emitted(event);
    } catch (err) {
      // An adapter failure (e.g. Redis away) must not stop the other rooms' events.
      this.metrics.failed('emit');
      this.log.warn({ err: (err as Error).message, event }, 'Emit failed');
    }
  }

  private async publishWatchers(presence: WatcherSource): Promise<void> {
    try {
      const totals = await presence.collect();
      const changed = [...totals].filter(
        ([id, n]) => this.watchers.get(id) !== n && (n > 0 || this.watchers.has(id)),
      );
      if (changed.length === 0) return;
      const states = await selectStates(
        this.pool,
        changed.map(([id]) => id),
      );
      const versions = new Map(states.map((st) => [st.id, st.version]));
      for (const [id, watchers] of changed) {
        const version = versions.get(id);
        if (version === undefined) continue;
        this.send(roomOf(id), true, 'giveaway:watchers', { giveaway_id: id, version, watchers });
        if (watchers > 0) this.watchers.set(id, watchers);
        else this.watchers.delete(id);
      }
    } catch (err) {
      this.metrics.failed('watchers');
      this.log.warn({ err: (err as Error).message }, 'Watcher totals not published');
    }
  }
}
