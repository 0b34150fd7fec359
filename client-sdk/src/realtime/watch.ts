// client.watch(): one giveaway's live state, kept right by the resync algorithm of docs/realtime.md —
// (re)subscribe on every (re)connect and take the snapshot; drop events older than the state; apply the next
// one; on a version gap apply it and fetch a fresh snapshot.
import type {
  ClaimedEvent,
  CountEvent,
  DrawnEvent,
  GiveawaySnapshot,
  RerolledEvent,
  StatusEvent,
  UpdatedEvent,
  WatchersEvent,
  WinnerChangedEvent,
} from '../contract.ts';
import { GiveawayError, toGiveawayError } from '../errors.ts';
import type { Connection, ConnectionState, EventKind } from './connection.ts';
import { applyEvent, OccurrenceLog, type VersionClock } from './versions.ts';

/**
 * Where a watch stands: `live` once it holds a snapshot and is connected; `failed` after a refusal.
 *
 * @example
 * client.watch(id, { state: (state) => (badge.textContent = state) });
 */
export type WatchState = 'connecting' | 'live' | 'resyncing' | 'offline' | 'failed' | 'closed';

/**
 * Why a snapshot replaced the state.
 *
 * @example
 * client.watch(id, { snapshot: (view, reason) => reason === 'reconnect' && toast('back online') });
 */
export type SnapshotReason = 'subscribe' | 'reconnect' | 'gap' | 'refresh';

/**
 * Callbacks of `client.watch`; all optional. `update` gets the whole view after any change; after a resync,
 * `count` and `status` also get the resynced values when they changed, so UIs wired only to them stay right.
 *
 * @example
 * client.watch(id, { count: (e) => render(e.participants_count), drawn: (e) => celebrate(e.winners) });
 */
export interface WatchHandlers {
  snapshot?(view: GiveawaySnapshot, reason: SnapshotReason): void;
  update?(view: GiveawaySnapshot): void;
  count?(event: CountEvent): void;
  status?(event: StatusEvent): void;
  drawn?(event: DrawnEvent): void;
  /** A winner's place went to someone else; the view's winners follow with a refreshed snapshot. */
  rerolled?(event: RerolledEvent): void;
  /**
   * A place changed hands: a reroll of any reason, or its claim deadline passed (`reason: 'unclaimed'`);
   * `user_id` null means no reserve was left and the place stays empty. A refreshed snapshot follows.
   */
  winnerChanged?(event: WinnerChangedEvent): void;
  /** A winner claimed their place (giveaways with a claim window). A refreshed snapshot follows. */
  claimed?(event: ClaimedEvent): void;
  /** Something a viewer reads changed (title, prizes, rules); a refreshed snapshot follows. */
  updated?(event: UpdatedEvent): void;
  watchers?(event: WatchersEvent): void;
  state?(state: WatchState, connection: ConnectionState): void;
  error?(error: GiveawayError): void;
}

/**
 * A live view of one giveaway, returned by `client.watch`.
 *
 * @example
 * const sub = client.watch(id, { update: (view) => render(view) });
 * const first = await sub.ready();
 * console.log(sub.state, sub.connectionState, sub.view?.participants_count);
 * await sub.close();
 */
export interface Subscription {
  readonly giveawayId: string;
  /** The current public view (null until the first snapshot). */
  readonly view: GiveawaySnapshot | null;
  readonly watchers: number | null;
  readonly state: WatchState;
  readonly connectionState: ConnectionState;
  /** Resolves with the first snapshot; rejects if the subscription is refused (e.g. NOT_FOUND). */
  ready(): Promise<GiveawaySnapshot>;
  /** Fetches a fresh snapshot now. */
  resync(): Promise<void>;
  close(): Promise<void>;
}

/** Handler name of each event kind (snake_case on the wire, camelCase in WatchHandlers). */
const HANDLER_OF: Record<EventKind, keyof WatchHandlers> = {
  count: 'count',
  status: 'status',
  drawn: 'drawn',
  rerolled: 'rerolled',
  winner_changed: 'winnerChanged',
  claimed: 'claimed',
  updated: 'updated',
  watchers: 'watchers',
};
/** Events whose details (winners, claims, edited fields) are only in the snapshot. */
const REFETCH = new Set<EventKind>(['drawn', 'rerolled', 'winner_changed', 'claimed', 'updated']);

const STALE_RETRIES = 5;
const MAX_RETRIES = 5;
/** At most one gap-triggered resync per second per watch: a burst of gaps costs one snapshot, not many. */
const GAP_RESYNC_MS = 1_000;

export class Watch implements Subscription {
  view: GiveawaySnapshot | null = null;
  watchers: number | null = null;
  state: WatchState = 'connecting';
  private clock: VersionClock | null = null;
  /** The version of the first snapshot: occurrences after it reach their handlers even when a refresh overtook them. */
  private startVersion: number | undefined;
  private readonly occurrences = new OccurrenceLog(() => this.startVersion);
  private buffered: Array<[EventKind, { version: number }]> = [];
  private syncing: Promise<void> | null = null;
  private again: SnapshotReason | null = null;
  private stale = 0;
  private failures = 0;
  /** The server refused this subscription itself (e.g. NOT_FOUND): reconnects do not retry it. */
  private refused = false;
  private lastGapSync = 0;
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly first: Promise<GiveawaySnapshot>;
  private resolveFirst: (view: GiveawaySnapshot) => void = () => undefined;
  private rejectFirst: (err: GiveawayError) => void = () => undefined;
  private readonly offRoute: () => boolean;
  private readonly offState: () => void;

  constructor(
    private readonly conn: Connection,
    readonly giveawayId: string,
    private readonly handlers: WatchHandlers,
    private readonly timeoutMs: number,
    private readonly onClosed: () => void = () => undefined,
  ) {
    this.first = new Promise((resolve, reject) => {
      this.resolveFirst = resolve;
      this.rejectFirst = reject;
    });
    this.first.catch(() => undefined); // Reported through `error` too; ready() callers see it as well.
    this.offRoute = conn.route(giveawayId, (kind, payload) => this.onEvent(kind, payload));
    this.offState = conn.onState((s) => this.onConnection(s));
    conn.open();
    if (conn.state === 'connected') void this.sync('subscribe');
  }

  get connectionState(): ConnectionState {
    return this.conn.state;
  }

  ready(): Promise<GiveawaySnapshot> {
    return this.first;
  }

  resync(): Promise<void> {
    this.refused = false;
    return this.sync('refresh');
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.set('closed');
    clearTimeout(this.gapTimer);
    this.onClosed();
    this.offState();
    const last = this.offRoute();
    this.rejectFirst(new GiveawayError('The watch was closed.', { code: 'UNAVAILABLE', status: 0 }));
    if (last && this.conn.state === 'connected') {
      await this.conn
        .command('giveaway:unsubscribe', { giveaway_id: this.giveawayId }, this.timeoutMs)
        .catch(() => undefined);
    }
  }

  private onConnection(state: ConnectionState): void {
    if (state === 'connected' && !this.refused) void this.sync(this.view ? 'reconnect' : 'subscribe');
    else if (state === 'failed')
      this.fail(this.conn.lastError ?? new GiveawayError('Connection refused.', { code: 'UNAUTHORIZED' }));
    else if (state === 'reconnecting') this.set('offline');
  }

  private sync(reason: SnapshotReason): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    if (this.syncing) {
      this.again ??= reason;
      return this.syncing;
    }
    this.set(this.view ? 'resyncing' : 'connecting');
    this.syncing = this.subscribe(reason).finally(() => {
      this.syncing = null;
      const next = this.again;
      this.again = null;
      if (next && this.state !== 'closed' && this.state !== 'failed') void this.sync(next);
    });
    return this.syncing;
  }

  private async subscribe(reason: SnapshotReason): Promise<void> {
    try {
      const ack = await this.conn.command<{ snapshot: GiveawaySnapshot }>(
        'giveaway:subscribe',
        { giveaway_id: this.giveawayId },
        this.timeoutMs,
      );
      this.failures = 0;
      if (this.state !== 'closed') this.accept(ack.snapshot, reason);
    } catch (err) {
      const error = toGiveawayError(err);
      if (this.state === 'closed') return;
      if (!error.retryable) {
        this.refused = true;
        return this.fail(error);
      }
      // A lost connection resubscribes on `connected`. Trouble on a live connection retries after a growing
      // pause, a few times: beyond that (e.g. too many watches on one connection) it is final.
      if (this.conn.state !== 'connected') return;
      if (++this.failures > MAX_RETRIES) return this.fail(error);
      this.handlers.error?.(error);
      const delay = (error.retryAfter ?? 2 ** this.failures / 2) * 1_000;
      setTimeout(() => void this.sync(reason), delay);
    }
  }

  private accept(snapshot: GiveawaySnapshot, reason: SnapshotReason): void {
    const prev = this.view;
    if (prev && this.clock && snapshot.version < this.clock.version) {
      // A cached snapshot older than events already applied: ask again shortly rather than go back in time.
      if (++this.stale <= STALE_RETRIES) setTimeout(() => void this.sync(reason), 300);
      return this.set('live');
    }
    this.stale = 0;
    this.startVersion ??= snapshot.version;
    this.view = snapshot;
    this.clock = {
      version: snapshot.version,
      seen: 'all',
      watchersVersion: this.clock?.watchersVersion ?? 0,
    };
    this.set('live');
    this.handlers.snapshot?.(snapshot, reason);
    const base = { giveaway_id: this.giveawayId, version: snapshot.version };
    if (prev && prev.participants_count !== snapshot.participants_count) {
      this.handlers.count?.({ ...base, participants_count: snapshot.participants_count });
    }
    if (prev && prev.status !== snapshot.status) this.handlers.status?.({ ...base, status: snapshot.status });
    this.handlers.update?.(snapshot);
    this.resolveFirst(snapshot);
    const buffered = this.buffered.sort((a, b) => a[1].version - b[1].version);
    this.buffered = [];
    for (const [kind, payload] of buffered) this.onEvent(kind, payload);
  }

  private onEvent(kind: EventKind, payload: { version: number }): void {
    if (this.state === 'closed') return;
    if (!this.view || !this.clock) {
      if (this.buffered.length < 100) this.buffered.push([kind, payload]);
      return;
    }
    const result = applyEvent(this.view, this.clock, kind, payload);
    const handler = (this.handlers as Partial<Record<string, (event: unknown) => void>>)[HANDLER_OF[kind]];
    if (result.dropped) {
      // The state already holds it (a refresh overtook the event), but the handler has not heard of it.
      if (this.occurrences.announceDropped(kind, payload)) handler?.(payload);
      return;
    }
    this.occurrences.applied(kind, payload);
    this.view = result.view;
    if (kind === 'watchers') this.watchers = (payload as WatchersEvent).watchers;
    handler?.(payload);
    if (kind !== 'watchers') this.handlers.update?.(this.view);
    if (result.gap) this.gapSync();
    else if (REFETCH.has(kind)) {
      // What changed is only in the snapshot (winners' names and prizes, edited fields); spread the refresh
      // over a second so a crowd of watchers does not stampede.
      setTimeout(() => void this.sync('refresh'), Math.random() * 1_000);
    }
  }

  private gapSync(): void {
    if (this.gapTimer) return;
    const wait = this.lastGapSync + GAP_RESYNC_MS - Date.now();
    this.gapTimer = setTimeout(
      () => {
        this.gapTimer = undefined;
        this.lastGapSync = Date.now();
        void this.sync('gap');
      },
      Math.max(0, wait),
    );
  }

  private fail(error: GiveawayError): void {
    if (this.state === 'closed') return;
    this.set('failed');
    this.handlers.error?.(error);
    this.rejectFirst(error);
  }

  private set(state: WatchState): void {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    this.handlers.state?.(state, this.conn.state);
  }
}
