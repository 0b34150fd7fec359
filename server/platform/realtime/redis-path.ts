// Whether this node's Redis path (the adapter's publish and subscribe connections) works. While it does not,
// a broadcast through the sharded adapter waits on its publish before reaching even local sockets, and other
// nodes' events cannot arrive: the relay switches this node to local delivery (server/relay/local-relay.ts).
// A lost connection counts at once; the path is back only once both connections answer a PING sent after
// they reconnected, which on the subscriber also proves its re-subscriptions went through (ioredis sends
// them before announcing `ready`, and Redis answers in order).
import client from 'prom-client';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Redis } from '../redis.ts';

export type DeliveryMode = 'redis' | 'local';

/** What the relay reads: the node's delivery mode and its changes. */
export interface DeliveryPath {
  readonly mode: DeliveryMode;
  /** Called on every change of mode. Returns an unsubscribe. */
  onModeChange(cb: (mode: DeliveryMode) => void): () => void;
}

export interface RedisPathOptions {
  /** The adapter's publish and subscribe connections. */
  clients: readonly Redis[];
  logger: Logger;
  metrics?: Metrics;
  /** How often both connections are probed. Default 1 s. */
  probeMs?: number;
  /** A probe unanswered this long counts as a lost path. Default 1.5 s. */
  probeTimeoutMs?: number;
}

export class RedisPath implements DeliveryPath {
  private readonly log: Logger;
  private readonly callbacks = new Set<(mode: DeliveryMode) => void>();
  private readonly probing = new Set<Redis>();
  /** Connections that answered a probe since they last (re)connected. */
  private readonly answered = new Set<Redis>();
  private readonly detach: Array<() => void> = [];
  private readonly gauge: client.Gauge<'mode'> | undefined;
  private readonly entered: client.Counter<'mode'> | undefined;
  // Local until the first probe answers: at boot Redis may not be there yet.
  private current: DeliveryMode = 'local';
  private timer: NodeJS.Timeout | undefined;
  private since = Date.now();

  constructor(private readonly opts: RedisPathOptions) {
    this.log = opts.logger.child({ module: 'redis-path' });
    const registry = opts.metrics?.registry;
    if (registry) {
      const existing = (name: string) => registry.getSingleMetric(name);
      this.gauge =
        (existing('realtime_delivery_mode') as client.Gauge<'mode'> | undefined) ??
        new client.Gauge({
          name: 'realtime_delivery_mode',
          help: 'How room events reach this node: mode="redis" (cluster adapter) or mode="local" (Redis lost: read from PostgreSQL for this node’s rooms)',
          labelNames: ['mode'] as const,
          registers: [registry],
        });
      this.entered =
        (existing('realtime_delivery_mode_changes_total') as client.Counter<'mode'> | undefined) ??
        new client.Counter({
          name: 'realtime_delivery_mode_changes_total',
          help: 'Changes of realtime delivery mode, by the mode entered',
          labelNames: ['mode'] as const,
          registers: [registry],
        });
    }
    this.setGauge();
  }

  get mode(): DeliveryMode {
    return this.current;
  }

  onModeChange(cb: (mode: DeliveryMode) => void): () => void {
    this.callbacks.add(cb);
    return () => this.callbacks.delete(cb);
  }

  start(): void {
    if (this.timer) return;
    for (const redis of this.opts.clients) {
      const lost = () => this.lost(redis, 'connection lost');
      const ready = () => void this.probe(redis);
      redis.on('close', lost);
      redis.on('reconnecting', lost);
      redis.on('end', lost);
      redis.on('ready', ready);
      this.detach.push(() => {
        redis.off('close', lost);
        redis.off('reconnecting', lost);
        redis.off('end', lost);
        redis.off('ready', ready);
      });
    }
    void this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), this.opts.probeMs ?? 1_000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const off of this.detach.splice(0)) off();
  }

  private async probeAll(): Promise<void> {
    await Promise.all(this.opts.clients.map((c) => this.probe(c)));
  }

  /** One PING per connection at a time: an unanswered one is not piled on (the client queues them). */
  private async probe(redis: Redis): Promise<void> {
    if (this.probing.has(redis)) return;
    if (redis.status !== 'ready') {
      this.lost(redis, `connection ${redis.status}`);
      return;
    }
    this.probing.add(redis);
    const timeoutMs = this.opts.probeTimeoutMs ?? 1_500;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        redis.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no PING answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      // The connection may have dropped again while the answer was on its way.
      const status: string = redis.status;
      if (status !== 'ready') return this.lost(redis, `connection ${status}`);
      this.answered.add(redis);
      if (this.opts.clients.every((c) => this.answered.has(c))) this.set('redis', 'probes answered');
    } catch (err) {
      this.lost(redis, (err as Error).message);
    } finally {
      clearTimeout(timer);
      this.probing.delete(redis);
    }
  }

  private lost(redis: Redis, reason: string): void {
    this.answered.delete(redis);
    this.set('local', reason);
  }

  private set(mode: DeliveryMode, reason: string): void {
    if (mode === this.current) return;
    const prev = this.current;
    const lastedMs = Date.now() - this.since;
    this.current = mode;
    this.since = Date.now();
    this.setGauge();
    this.entered?.inc({ mode });
    if (mode === 'local') {
      this.log.warn(
        { mode, reason },
        'Realtime delivery mode local: Redis path lost; this node relays its own rooms from PostgreSQL',
      );
    } else {
      this.log.info(
        { mode, [`${prev}Ms`]: lastedMs },
        'Realtime delivery mode redis: Redis path up; cluster delivery through the adapter',
      );
    }
    for (const cb of this.callbacks) {
      try {
        cb(mode);
      } catch (err) {
        this.log.error({ err }, 'Delivery mode callback threw');
      }
    }
  }

  private setGauge(): void {
    this.gauge?.set({ mode: 'redis' }, this.current === 'redis' ? 1 : 0);
    this.gauge?.set({ mode: 'local' }, this.current === 'local' ? 1 : 0);
  }
}
