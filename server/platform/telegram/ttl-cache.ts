// A small JSON cache with expiry: Redis when configured (shared by every node), else process memory.
// Only for things that can be lost (channel info, avatar file ids, share message ids): a Redis failure is
// a miss, never an error.
import type { Logger, Redis } from '../index.ts';

export interface TtlCacheOptions {
  redis: Redis | null;
  /** e.g. `gw:`; the cache adds its own namespace after it. */
  keyPrefix: string;
  namespace: string;
  logger: Logger;
  /** Entries kept in memory mode. */
  maxEntries?: number;
}

const REDIS_TIMEOUT_MS = 250;

export class TtlCache {
  private readonly memory = new Map<string, { value: string; expiresAt: number }>();
  private readonly prefix: string;

  constructor(private readonly opts: TtlCacheOptions) {
    this.prefix = `${opts.keyPrefix}${opts.namespace}:`;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.read(this.prefix + key);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  }

  /** `ttlSec` may be fractional (tests use sub-second TTLs); Redis keeps it to the millisecond. */
  async set(key: string, value: unknown, ttlSec: number): Promise<void> {
    if (ttlSec <= 0) return;
    const raw = JSON.stringify(value);
    const redis = this.redis();
    if (!redis) {
      this.remember(this.prefix + key, raw, ttlSec);
      return;
    }
    await this.bounded(redis.set(this.prefix + key, raw, 'PX', Math.ceil(ttlSec * 1000))).catch(
      (err: unknown) => this.opts.logger.debug({ err: (err as Error).message }, 'Cache write failed'),
    );
  }

  /**
   * A short lock shared by every node (SET NX PX): true when this caller holds it. Without Redis, or when
   * Redis does not answer, always true: the lock only saves calls, so failing open is the safe side.
   */
  async claim(key: string, ttlMs: number): Promise<boolean> {
    const redis = this.redis();
    if (!redis) return true;
    try {
      return (await this.bounded(redis.set(this.prefix + key, '1', 'PX', ttlMs, 'NX'))) === 'OK';
    } catch {
      return true;
    }
  }

  async delete(key: string): Promise<void> {
    this.memory.delete(this.prefix + key);
    const redis = this.redis();
    if (redis) await this.bounded(redis.del(this.prefix + key)).catch(() => undefined);
  }

  private async read(fullKey: string): Promise<string | undefined> {
    const redis = this.redis();
    if (!redis) {
      const hit = this.memory.get(fullKey);
      if (!hit) return undefined;
      if (hit.expiresAt > Date.now()) return hit.value;
      this.memory.delete(fullKey);
      return undefined;
    }
    try {
      return (await this.bounded(redis.get(fullKey))) ?? undefined;
    } catch (err) {
      this.opts.logger.debug({ err: (err as Error).message }, 'Cache read failed; treating as a miss');
      return undefined;
    }
  }

  private remember(fullKey: string, value: string, ttlSec: number): void {
    if (this.memory.size >= (this.opts.maxEntries ?? 10_000)) {
      const oldest = this.memory.keys().next();
      if (!oldest.done) this.memory.delete(oldest.value);
    }
    this.memory.set(fullKey, { value, expiresAt: Date.now() + ttlSec * 1000 });
  }

  /** Configured but not connected counts as "no cache" rather than queueing behind a reconnect. */
  private redis(): Redis | null {
    const redis = this.opts.redis;
    if (!redis) return null;
    return redis.status === 'ready' ? redis : null;
  }

  private bounded<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis timed out')), REDIS_TIMEOUT_MS);
      timer.unref();
    });
    promise.catch(() => undefined);
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
