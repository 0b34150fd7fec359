// Rate limiters (rate-limiter-flexible): shared counters in Redis when there is one, process memory in
// single-node mode. A Redis outage degrades to per-node memory counters and says so in the log: requests
// are neither blocked by a dead store nor let through unlimited.
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';

export interface RateLimiterOptions {
  redis: Redis | null;
  /** REDIS_KEY_PREFIX; keys are `${keyPrefix}rl:${name}:${key}`. */
  keyPrefix: string;
  points: number;
  durationSec: number;
  /** Unique per limiter (e.g. 'join-user'), so per-user and per-IP counters never share a key. */
  name: string;
  logger?: Logger;
  /** A Redis call slower than this counts as an outage for that request (a half-open socket hangs). */
  redisTimeoutMs?: number;
}

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  /** Whole seconds until the window resets; at least 1 when refused. */
  retryAfterSec: number;
}

export interface RateLimiter {
  readonly name: string;
  readonly points: number;
  readonly durationSec: number;
  readonly store: 'redis' | 'memory';
  /** Takes `points` from `key`'s budget. Resolves either way; rejects only on a bug, never on refusal. */
  consume(key: string, points?: number): Promise<RateDecision>;
}

/** How often, at most, the fallback to memory is logged while Redis stays away. */
const FALLBACK_LOG_EVERY_MS = 30_000;

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const keyPrefix = `${opts.keyPrefix}rl:${opts.name}`;
  const base = { points: opts.points, duration: opts.durationSec, keyPrefix };
  let limiter: RateLimiterAbstract;
  if (opts.redis) {
    let lastWarned = 0;
    const insurance = new FallbackMemoryLimiter(base, () => {
      if (Date.now() - lastWarned < FALLBACK_LOG_EVERY_MS) return;
      lastWarned = Date.now();
      opts.logger?.warn(
        { module: 'rate-limit', limiter: opts.name },
        'Redis unavailable: rate limits fall back to per-node memory counters',
      );
    });
    const redisLimiter = new RateLimiterRedis({
      ...base,
      storeClient: opts.redis,
      // Go straight to the insurance while ioredis reconnects instead of queueing behind it.
      rejectIfRedisNotReady: true,
      insuranceLimiter: insurance,
    });
    limiter = new RLWrapperTimeouts({
      limiter: redisLimiter,
      timeoutMs: opts.redisTimeoutMs ?? 500,
      insuranceLimiter: insurance,
    });
  } else {
    limiter = new RateLimiterMemory(base);
  }
  return {
    name: opts.name,
    points: opts.points,
    durationSec: opts.durationSec,
    store: opts.redis ? 'redis' : 'memory',
    async consume(key, points = 1) {
      try {
        const res = await limiter.consume(key, points);
        return { allowed: true, remaining: res.remainingPoints, retryAfterSec: toSeconds(res.msBeforeNext) };
      } catch (err) {
        // The library rejects with a RateLimiterRes when the budget is spent, with an Error otherwise.
        if (!(err instanceof RateLimiterRes)) throw err;
        return { allowed: false, remaining: 0, retryAfterSec: Math.max(1, toSeconds(err.msBeforeNext)) };
      }
    },
  };
}

const toSeconds = (ms: number) => Math.ceil(Math.max(0, ms) / 1000);

/** The insurance limiter, plus a hook that tells us whenever it is actually used. */
class FallbackMemoryLimiter extends RateLimiterMemory {
  constructor(
    opts: ConstructorParameters<typeof RateLimiterMemory>[0],
    private readonly onUse: () => void,
  ) {
    super(opts);
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>): Promise<RateLimiterRes> {
    this.onUse();
    return super.consume(...args);
  }
}
