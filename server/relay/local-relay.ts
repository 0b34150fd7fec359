// The relay of one node while its Redis path is down. The cluster relay's events travel through Redis, so
// without it this node's watchers would hear nothing: each node then reads, from its own ChangeFeed and
// PostgreSQL, the changes of the giveaways its own sockets watch, and emits them to its own sockets only.
// On starting it knows nothing of what its clients hold, so it first re-sends the state of every watched live
// or recently finished giveaway (repeats are harmless: clients de-duplicate by version). It keeps running for
// `overlapMs` after the path is back, while the cluster relay's lock is taken and this node's subscriptions
// come back, so the handover can repeat an event but not lose one.
import type pg from 'pg';
import { roomOf } from '../../schema/contract/realtime.ts';
import type { ChangeFeed } from '../platform/change-feed/index.ts';
import type { Logger } from '../platform/logger.ts';
import type { DeliveryMode, DeliveryPath } from '../platform/realtime/index.ts';
import type { RealtimeServer } from './realtime-server.ts';
import { PassBackoff } from './pass-backoff.ts';
import type { RelayMetrics } from './relay-metrics.ts';
import { selectNow, selectResyncStatesAmong } from './relay.queries.ts';
import type { RoomEmitter } from './room-emitter.ts';
import { StatePublisher } from './state-publisher.ts';
import { TickLoop } from './tick-loop.ts';

export interface LocalRelayOptions {
  /** The node's shared feed; started and stopped by its owner. */
  feed: ChangeFeed;
  path: DeliveryPath;
  pool: pg.Pool;
  /** Whose rooms are this node's. */
  io: RealtimeServer;
  /** A local-scope emitter (this node's sockets only). */
  emitter: RoomEmitter;
  logger: Logger;
  metrics: RelayMetrics;
  tickMs?: number;
  /** How long it keeps relaying after the Redis path is back. Default 3 s. */
  overlapMs?: number;
  /** At boot the path is local until Redis first answers; the relay starts only if it stays so this long. Default 2 s. */
  bootGraceMs?: number;
  /** Finished giveaways updated this recently are re-sent when it starts. Default 600 s. */
  recentSec?: number;
}

const ROOM_PREFIX = roomOf('');

export class LocalRelay {
  private readonly log: Logger;
  private readonly publisher: StatePublisher;
  private readonly unsubscribe: Array<() => void> = [];
  private pending = new Set<string>();
  private active = false;
  private activeSince = 0;
  private emitted = 0;
  private running = false;
  private resyncWanted = false;
  private modeTimer: NodeJS.Timeout | undefined;
  private readonly backoff: PassBackoff;
  private readonly loop: TickLoop;

  constructor(private readonly opts: LocalRelayOptions) {
    this.log = opts.logger.child({ module: 'local-relay' });
    const tickMs = opts.tickMs ?? 100;
    this.backoff = new PassBackoff(tickMs, this.log, opts.metrics, 'Local relay pass failed');
    this.loop = new TickLoop(() => this.tick(), tickMs);
    this.publisher = new StatePublisher(opts.pool, {
      send: (id, e) => {
        this.emitted++;
        opts.emitter.send(id, e);
      },
    });
  }

  /** Whether it is relaying now (Redis path down, or back for less than `overlapMs`). */
  get isActive(): boolean {
    return this.active;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { feed, path } = this.opts;
    this.unsubscribe.push(
      feed.onChange((changes) => {
        if (!this.active) return;
        for (const n of changes) this.pending.add(n.giveawayId);
        this.loop.poke();
      }),
      // Notifications sent while the feed was away are lost: re-read every watched giveaway.
      feed.onReconnect(() => {
        if (this.active) this.resyncWanted = true;
      }),
      path.onModeChange((mode) => this.onMode(mode)),
    );
    if (path.mode === 'local') {
      this.modeTimer = setTimeout(() => {
        if (path.mode === 'local') this.activate();
      }, this.opts.bootGraceMs ?? 2_000);
    }
    this.loop.start();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.modeTimer);
    for (const off of this.unsubscribe.splice(0)) off();
    await this.loop.stop();
    if (this.active) this.deactivate();
  }

  private onMode(mode: DeliveryMode): void {
    clearTimeout(this.modeTimer);
    if (mode === 'local') return this.activate();
    if (!this.active) return;
    this.modeTimer = setTimeout(() => this.deactivate(), this.opts.overlapMs ?? 3_000);
  }

  private activate(): void {
    if (this.active || !this.running) return;
    this.active = true;
    this.activeSince = Date.now();
    this.emitted = 0;
    // What this node's clients hold is unknown: everything watched is re-sent in full.
    this.publisher.clear();
    this.pending.clear();
    this.resyncWanted = true;
    this.opts.metrics.localRelay(true);
    this.log.warn(
      { rooms: this.watched().length },
      'Local relay started: this node reads its rooms’ changes from PostgreSQL',
    );
  }

  private deactivate(): void {
    this.active = false;
    this.pending.clear();
    this.opts.metrics.localRelay(false);
    this.log.info(
      { ms: Date.now() - this.activeSince, events: this.emitted },
      'Local relay stopped: room events come through Redis again',
    );
  }

  /** The giveaways this node's sockets watch (the adapter's rooms map is the truth). */
  private watched(): string[] {
    const ids: string[] = [];
    for (const room of this.opts.io.of('/').adapter.rooms.keys()) {
      if (room.startsWith(ROOM_PREFIX)) ids.push(room.slice(ROOM_PREFIX.length));
    }
    return ids;
  }

  private isWatched(id: string): boolean {
    return this.opts.io.of('/').adapter.rooms.has(roomOf(id));
  }

  private async tick(): Promise<void> {
    if (!this.active || this.backoff.paused) return;
    const batch = [...this.pending].filter((id) => this.isWatched(id));
    this.pending = new Set();
    let stage = 'local-tick';
    try {
      if (this.resyncWanted) {
        stage = 'local-resync';
        this.resyncWanted = false;
        await this.resync();
        stage = 'local-tick';
      }
      if (batch.length > 0) await this.publisher.publishChanged(batch);
      this.backoff.succeeded();
    } catch (err) {
      if (stage === 'local-resync') this.resyncWanted = true;
      for (const id of batch) this.pending.add(id);
      this.backoff.failed(stage, err);
    }
  }

  private async resync(): Promise<void> {
    const started = Date.now();
    const recentSec = this.opts.recentSec ?? 600;
    // As the cluster relay does: read before the states, so a watched giveaway that finished long ago (and so
    // is not among them) still gets its later claims and rerolls relayed, and not its history.
    const horizon = await selectNow(this.opts.pool);
    const states = await selectResyncStatesAmong(this.opts.pool, this.watched(), recentSec);
    await this.publisher.publishResync(states, horizon, recentSec);
    this.log.info({ giveaways: states.length, ms: Date.now() - started }, 'Local relay resynced');
  }
}
