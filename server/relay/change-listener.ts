// The LISTEN side of change propagation: one pg-listen subscriber on `giveaway_changed`, wrapped so it always
// comes back. NOTIFY is only a wake-up (anything sent while disconnected is lost), so `connected` is emitted
// after every (re)connect once LISTEN is active, and the relay re-reads state then.
import { EventEmitter } from 'node:events';
import type { ConnectionOptions } from 'node:tls';
import pgListen from 'pg-listen';
import type { Logger } from '../platform/logger.ts';

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

export interface ChangeListenerOptions {
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

interface ListenerEvents {
  notification: [ChangeNotification];
  /** After every (re)connect, once LISTEN is active: notifications may have been missed, re-read state. */
  connected: [];
  disconnected: [];
}

const OPS = new Set<string>(['insert', 'update', 'delete']);

/** Never throws: a malformed payload must not become a pg-listen `error` (which we treat as fatal). */
function parsePayload(text: string): ChangeNotification | undefined {
  try {
    const p = JSON.parse(text) as { giveaway_id?: unknown; version?: unknown; op?: unknown };
    if (typeof p.giveaway_id !== 'string' || typeof p.op !== 'string' || !OPS.has(p.op)) return undefined;
    return { giveawayId: p.giveaway_id, version: Number(p.version) || 0, op: p.op as ChangeOp };
  } catch {
    return undefined;
  }
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

export class ChangeListener extends EventEmitter<ListenerEvents> {
  private readonly log: Logger;
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

  constructor(private readonly opts: ChangeListenerOptions) {
    super();
    this.log = opts.logger.child({ module: 'change-listener' });
    this.paranoidMs = opts.paranoidMs ?? 2_000;
    this.stuckMs = opts.stuckMs ?? 15_000;
  }

  get connected(): boolean {
    return this.isConnected;
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
        application_name: this.opts.applicationName ?? 'giveaway-relay-listen',
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
        parse: parsePayload,
      },
    );
    this.sub = sub;
    sub.events.on('notification', (n) => {
      const change = n.payload as ChangeNotification | undefined;
      if (current() && change) this.emit('notification', change);
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
    this.emit('connected');
  }

  private setDisconnected(): void {
    if (!this.isConnected) return;
    this.isConnected = false;
    this.emit('disconnected');
  }
}
