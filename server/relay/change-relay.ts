// The change relay: committed giveaway changes (heard on the node's ChangeFeed) become Socket.IO room events.
// Only the LeaderLock holder reads state, once per tick for all notified giveaways, diffs it against what it
// last emitted (state-diff.ts) and sends at most one batch per room per tick. Resyncs cover what NOTIFY lost.
// A node whose Redis path is down cannot reach the other nodes, so it may not lead: while Redis is away no node
// leads and each serves its own rooms (local-relay.ts); the first node back on Redis takes the lock and its
// resync re-sends, through Redis, everything that changed meanwhile.
import type pg from 'pg';
import type { ChangeFeed, ChangeNotification, LeaderLock } from '../platform/change-feed/index.ts';
import type { Logger } from '../platform/logger.ts';
import type { DeliveryPath } from '../platform/realtime/index.ts';
import { PassBackoff } from './pass-backoff.ts';
import type { RelayMetrics } from './relay-metrics.ts';
import { selectNow, selectResyncStates } from './relay.queries.ts';
import type { RoomEmitter } from './room-emitter.ts';
import { StatePublisher } from './state-publisher.ts';
import { TickLoop } from './tick-loop.ts';
import type { WatcherPublisher } from './watcher-publisher.ts';

/** pg_try_advisory_lock key of the relay ('gw' 0x6777, role 1). */
export const RELAY_LOCK_KEY = 0x6777_0001;

export interface ChangeRelayOptions {
  /** The node's shared feed; started and stopped by its owner, not by the relay. */
  feed: ChangeFeed;
  /** The relay's own lock (key RELAY_LOCK_KEY); the relay starts and stops it. */
  lock: LeaderLock;
  /** For the state reads (one query per tick). */
  pool: pg.Pool;
  emitter: RoomEmitter;
  /** The node's Redis path: only a node whose path is up may lead. None in single-node mode. */
  path?: DeliveryPath;
  /** Publishes watcher totals every `watchersMs` while leading. */
  watchers?: WatcherPublisher;
  logger: Logger;
  metrics: RelayMetrics;
  tickMs?: number;
  watchersMs?: number;
  /** Finished giveaways updated this recently are re-read by a resync. Default 600 s. */
  recentSec?: number;
  /** Safety-net resync while leading (also prunes memory). Default 5 min. */
  resyncEveryMs?: number;
}

export class ChangeRelay {
  private readonly log: Logger;
  private pending = new Map<string, ChangeNotification>();
  private readonly publisher: StatePublisher;
  private readonly unsubscribe: Array<() => void> = [];
  private resyncWanted = false;
  private caughtUp = false;
  private lastResync = 0;
  private running = false;
  private watchersTimer: NodeJS.Timeout | undefined;
  private watching: Promise<void> | null = null;
  private readonly backoff: PassBackoff;
  private readonly loop: TickLoop;

  constructor(private readonly opts: ChangeRelayOptions) {
    this.log = opts.logger.child({ module: 'change-relay' });
    const tickMs = opts.tickMs ?? 100;
    this.backoff = new PassBackoff(tickMs, this.log, opts.metrics, 'Relay pass failed');
    this.loop = new TickLoop(() => this.tick(), tickMs);
    this.publisher = new StatePublisher(opts.pool, opts.emitter);
  }

  get isLeader(): boolean {
    return this.opts.lock.isLeader;
  }

  /**
   * Leading, and the resync that follows taking the lock is done: from here every change is told as it
   * happens. Between taking the lock and this, changes are only re-announced as state (no rerolls or claims).
   */
  get isCaughtUp(): boolean {
    return this.opts.lock.isLeader && this.caughtUp;
  }

  /** Emits once this node holds the lock; only a node that can hear changes may take it. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const { feed, lock, path } = this.opts;
    const eligible = () => feed.connected && (path?.mode ?? 'redis') === 'redis';
    this.unsubscribe.push(
      feed.onChange((changes) => {
        for (const n of changes) this.collect(n);
        if (lock.isLeader) this.loop.poke();
      }),
      feed.onReconnect(() => {
        // Notifications sent while we were away are lost: the leader re-reads everything live.
        this.resyncWanted = true;
        lock.setEligible(eligible());
      }),
      feed.onDisconnect(() => lock.setEligible(false)),
      path?.onModeChange((mode) => {
        if (mode === 'local' && lock.isLeader) this.log.warn('Redis path lost: giving the relay lock up');
        lock.setEligible(eligible());
      }) ?? (() => undefined),
      lock.onLeadershipChange((leader) => {
        // We may have missed anything while standing by: compare all live state with what we last emitted.
        if (leader) this.resyncWanted = true;
        this.caughtUp = false;
        this.log.info(leader ? 'This node now relays changes (leader)' : 'Relay standing by');
        this.opts.metrics.leader(leader);
      }),
    );
    lock.setEligible(eligible());
    lock.start();
    this.loop.start();
    const watchers = this.opts.watchers;
    if (watchers) {
      this.watchersTimer = setInterval(() => {
        if (!lock.isLeader) return;
        this.watching ??= watchers.publish().finally(() => (this.watching = null));
      }, this.opts.watchersMs ?? 1_000);
    }
  }

  /** Releases the lock (a standby takes over on its next try); leaves the shared feed running. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.watchersTimer);
    for (const off of this.unsubscribe.splice(0)) off();
    await Promise.allSettled([this.loop.stop(), this.watching]);
    await this.opts.lock.stop();
  }

  private collect(n: ChangeNotification): void {
    const prev = this.pending.get(n.giveawayId);
    if (!prev || n.version >= prev.version) this.pending.set(n.giveawayId, n);
  }

  private async tick(): Promise<void> {
    if (this.backoff.paused) return;
    const batch = this.pending;
    this.pending = new Map();
    // A standby drops what it heard; the resync on taking the lock covers it.
    if (!this.opts.lock.isLeader) return;
    const resyncEveryMs = this.opts.resyncEveryMs ?? 300_000;
    if (Date.now() - this.lastResync >= resyncEveryMs) this.resyncWanted = true;
    let stage = 'tick';
    try {
      if (this.resyncWanted) {
        stage = 'resync';
        this.resyncWanted = false;
        await this.resync();
        this.caughtUp = true;
        stage = 'tick';
      }
      if (batch.size > 0) await this.publisher.publishChanged([...batch.keys()]);
      this.backoff.succeeded();
    } catch (err) {
      if (stage === 'resync') this.resyncWanted = true;
      // Put the ids back unless newer notifications for them arrived meanwhile.
      for (const [id, n] of batch) if (!this.pending.has(id)) this.pending.set(id, n);
      this.backoff.failed(stage, err);
    }
  }

  /**
   * Re-reads every live and recently finished giveaway and emits what differs from what this relay last
   * emitted. A relay that just started knows nothing, so it emits the state of every such giveaway: clients
   * de-duplicate by version, and a duplicate is cheaper than a change lost during a takeover.
   */
  private async resync(): Promise<void> {
    const started = Date.now();
    const recentSec = this.opts.recentSec ?? 600;
    // Read before the states: anything a finished giveaway left out of them had its last change before this.
    const horizon = await selectNow(this.opts.pool);
    const states = await selectResyncStates(this.opts.pool, recentSec);
    await this.publisher.publishResync(states, horizon, recentSec);
    this.lastResync = started;
    this.log.info({ giveaways: states.length, ms: Date.now() - started }, 'Resynced');
  }
}
