// The node's one LISTEN connection on `giveaway_changed` (pg-listen), wrapped so it always comes back, and
// shared by every role that wants to hear committed giveaway changes (the relay, the draw scheduler).
// NOTIFY is only a wake-up: anything sent while disconnected is lost, so subscribers are told after every
// (re)connect (`onReconnect`) and re-read whatever state they keep.
import type { ConnectionOptions } from 'node:tls';
import pgListen from 'pg-listen';
import type { Logger } from '../logger.ts';

// pg-listen is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const createSubscriber = pgListen.default;
type Subscriber = ReturnType<typeof createSubscriber>;

export const CHANGE_CHANNEL = 'giveaway_changed';

export type ChangeOp = 'insert' | 'update' | 'delete';

export interface ChangeNotification {
  giveawayId: string;
  version: number;
  op: ChangeOp;
}

export interface ChangeFeedOptions {
  connectionString: string;
  ssl?: false | ConnectionOptions;
  logger: Logger;
  /** Shown in pg_stat_activity, so operators (and tests) can find the LISTEN session. */
  applicationName?: string;
  /** Interval of pg-listen's liveness query; with the query timeout it catches half-open TCP. Default 2 s. */
  paranoidMs?: number;
  /** pg-listen has been known to hang while reconnecting (pg-listen#14): recreate it after this long. */
  stuckMs?: number;
}

export type ChangeCallback = (changes: readonly ChangeNotification[]) => void;
/** A notification on another channel of the same connection: its JSON payload, parsed (undefined if not JSON). */
export type NoticeCallback = (payload: unknown) => void;

export interface SubscribeOptions {
  /**
   * Collect notifications for this long after the first one and deliver them together, the newest per
   * giveaway. 0 (default) delivers each notification on its own, as it arrives.
   */
  coalesceMs?: number;
}

/** One subscriber of onChange: its own coalescing window, so a slow consumer does not delay a fast one. */
class Subscription {
  private pending = new Map<string, ChangeNotification>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cb: ChangeCallback,
    private readonly coalesceMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  push(n: ChangeNotification): void {
    if (this.coalesceMs <= 0) return this.deliver([n]);
    const prev = this.pending.get(n.giveawayId);
    if (!prev || n.version >= prev.version) this.pending.set(n.giveawayId, n);
    this.timer ??= setTimeout(() => this.flush(), this.coalesceMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private flush(): void {
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    if (batch.length > 0) this.deliver(batch);
  }

  private deliver(changes: readonly ChangeNotification[]): void {
    try {
      this.cb(changes);
    } catch (err) {
      this.onError(err);
    }
  }
}

const OPS = new Set<string>(['insert', 'update', 'delete']);

/** Never throws: a malformed payload must not become a pg-listen `error` (which we treat as fatal). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asChange(payload: unknown): ChangeNotification | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as { giveaway_id?: unknown; version?: unknown; op?: unknown };
  if (typeof p.giveaway_id !== 'string' || typeof p.op !== 'string' || !OPS.has(p.op)) return undefined;
  return { giveawayId: p.giveaway_id, version: Number(p.version) || 0, op: p.op as ChangeOp };
}

/** Resolves when `p` settles or after `ms`: ending a client on a half-open socket can wait for TCP timeouts. */
async function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p.catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

export class ChangeFeed {
  private readonly log: Logger;
  private readonly subscriptions = new Set<Subscription>();
  private readonly reconnectCallbacks = new Set<() => void>();
  private readonly disconnectCallbacks = new Set<() => void>();
  /** Other channels heard on the same connection (channel → callbacks). */
  private readonly notices = new Map<string, Set<NoticeCallback>>();
  private readonly paranoidMs: number;
  private readonly stuckMs: number;
  private sub: Subscriber | null = null;
  /** Bumped whenever the subscriber is replaced; events of older subscribers are ignored. */
  private generation = 0;
  private running = false;
  private isConnected = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private stuckTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ChangeFeedOptions) {
    this.log = opts.logger.child({ module: 'change-feed' });
    this.paranoidMs = opts.paranoidMs ?? 2_000;
    this.stuckMs = opts.stuckMs ?? 15_000;
  }

  /** True while LISTEN is active: changes committed now will be heard. */
  get connected(): boolean {
    return this.isConnected;
  }

  /** Calls `cb` with committed changes (callbacks must be cheap and must not throw). Returns an unsubscribe. */
  onChange(cb: ChangeCallback, opts: SubscribeOptions = {}): () => void {
    const sub = new Subscription(cb, opts.coalesceMs ?? 0, (err) =>
      this.log.error({ err }, 'Change subscriber threw'),
    );
    this.subscriptions.add(sub);
    return () => {
      sub.cancel();
      this.subscriptions.delete(sub);
    };
  }

  /**
   * Also LISTENs on `channel` (at once if connected, and after every reconnect) and calls `cb` with each payload.
   * Like changes, notices sent while disconnected are lost: pair it with onReconnect.
   */
  onNotice(channel: string, cb: NoticeCallback): () => void {
    const set = this.notices.get(channel) ?? new Set();
    const first = set.size === 0;
    this.notices.set(channel, set.add(cb));
    const sub = this.sub;
    if (first && this.isConnected && sub) {
      void Promise.resolve(sub.listenTo(channel)).catch(() => this.replace());
    }
    return () => set.delete(cb);
  }

  /** After every (re)connect, once LISTEN is active: notifications may have been missed, re-read state. */
  onReconnect(cb: () => void): () => void {
    this.reconnectCallbacks.add(cb);
    return () => this.reconnectCallbacks.delete(cb);
  }

  /** When the LISTEN connection is lost: changes are not heard until the next onReconnect. */
  onDisconnect(cb: () => void): () => void {
    this.disconnectCallbacks.add(cb);
    return () => this.disconnectCallbacks.delete(cb);
  }

  /** Connects in the background and keeps retrying; watch `connected`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.open();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retryTimer);
    clearTimeout(this.stuckTimer);
    const sub = this.sub;
    this.sub = null;
    this.generation++;
    this.setDisconnected();
    for (const s of this.subscriptions) s.cancel();
    if (sub) await settleWithin(sub.close(), 1_000);
  }

  private async open(): Promise<void> {
    if (!this.running) return;
    const gen = ++this.generation;
    const current = () => gen === this.generation;
    let listening = false;
    const sub = createSubscriber(
      {
        connectionString: this.opts.connectionString,
        ssl: this.opts.ssl,
        application_name: this.opts.applicationName ?? 'gw-change-feed',
        connectionTimeoutMillis: 5_000,
        // Without it the liveness query waits forever on a half-open socket and never triggers a reconnect.
        query_timeout: this.paranoidMs + 1_000,
      },
      {
        paranoidChecking: this.paranoidMs,
        // The default (3 s) makes pg-listen give up for good; we never want that.
        retryTimeout: Infinity,
        // Called between failed attempts. Throwing is the only way to end pg-listen's retry loop of a
        // subscriber we replaced, since its close() does not stop the loop (pg-listen#61).
        retryInterval: (attempt: number) => {
          if (!current()) throw new Error('Subscriber replaced');
          return Math.min(100 * 2 ** attempt, 2_000);
        },
        parse: parseJson,
      },
    );
    this.sub = sub;
    sub.events.on('notification', (n) => {
      if (!current()) return;
      if (n.channel !== CHANGE_CHANNEL) return this.notice(n.channel, n.payload);
      const change = asChange(n.payload);
      if (change) for (const s of this.subscriptions) s.push(change);
    });
    sub.events.on('connected', () => {
      // A replaced subscriber whose retry loop still got through: close the connection it just opened.
      if (!current()) void settleWithin(sub.close(), 1_000);
      // The first connect is announced below once LISTEN ran (pg-listen announces it before).
      else if (listening) this.onConnected('reconnected');
    });
    sub.events.on('reconnect', (attempt) => {
      if (!current()) return;
      if (attempt === 1) this.log.warn('LISTEN connection lost; reconnecting');
      this.setDisconnected();
      this.stuckTimer ??= setTimeout(() => {
        this.stuckTimer = undefined;
        if (!current() || this.isConnected) return;
        this.log.error({ stuckMs: this.stuckMs }, 'LISTEN reconnection stuck; recreating the subscriber');
        this.replace();
      }, this.stuckMs);
    });
    sub.events.on('error', (err) => {
      if (!current()) return;
      this.log.error({ err: err.message }, 'LISTEN subscriber failed; recreating it');
      this.replace();
    });
    try {
      await sub.connect();
      await sub.listenTo(CHANGE_CHANNEL);
      for (const channel of this.notices.keys()) await sub.listenTo(channel);
      if (!current()) return;
      listening = true;
      this.onConnected('connected');
    } catch (err) {
      if (!current()) return;
      // Once per outage, then every tenth attempt: a long database outage should not flood the log.
      if (this.failures % 10 === 0) {
        this.log.warn(
          { err: (err as Error).message, attempts: this.failures + 1 },
          'LISTEN connection failed; retrying',
        );
      }
      this.replace();
    }
  }

  /** Drops the subscriber (pg-listen gave up, hung, or never connected) and opens a new one with backoff. */
  private replace(): void {
    const old = this.sub;
    this.sub = null;
    this.generation++;
    clearTimeout(this.stuckTimer);
    this.stuckTimer = undefined;
    this.setDisconnected();
    if (old) void settleWithin(old.close(), 1_000);
    if (!this.running) return;
    const delayMs = Math.min(250 * 2 ** this.failures++, 5_000);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.open(), delayMs);
  }

  private onConnected(how: 'connected' | 'reconnected'): void {
    clearTimeout(this.stuckTimer);
    this.stuckTimer = undefined;
    this.failures = 0;
    this.isConnected = true;
    this.log.info(`LISTEN ${how}`);
    this.announce(this.reconnectCallbacks);
  }

  private setDisconnected(): void {
    if (!this.isConnected) return;
    this.isConnected = false;
    this.announce(this.disconnectCallbacks);
  }

  private notice(channel: string, payload: unknown): void {
    for (const cb of this.notices.get(channel) ?? []) {
      try {
        cb(payload);
      } catch (err) {
        this.log.error({ err, channel }, 'Notice subscriber threw');
      }
    }
  }

  private announce(callbacks: ReadonlySet<() => void>): void {
    for (const cb of callbacks) {
      try {
        cb();
      } catch (err) {
        this.log.error({ err }, 'Change feed callback threw');
      }
    }
  }
}
