// Short Redis cache of decided checks per (requirement, user), so repeated joins/checks don't re-ask Telegram.
// Only passed/failed are kept; Redis being slow or down only costs a re-check, never a failed request.
import type { Logger, Redis } from '../platform/index.ts';
import type { RequirementResult } from './requirement-checker.ts';

export interface ResultCacheOptions {
  redis: Redis | null;
  keyPrefix: string;
  logger: Logger;
  ttlSec?: number;
  /** Give up on Redis after this long and check instead. */
  timeoutMs?: number;
}

export class RequirementResultCache {
  private readonly ttlSec: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: ResultCacheOptions) {
    this.ttlSec = opts.ttlSec ?? 30;
    this.timeoutMs = opts.timeoutMs ?? 250;
  }

  key(requirementId: number, userId: number): string {
    return `${this.opts.keyPrefix}req:${requirementId}:${userId}`;
  }

  async getMany(requirementIds: readonly number[], userId: number): Promise<Map<number, RequirementResult>> {
    const found = new Map<number, RequirementResult>();
    const redis = this.usable();
    if (!redis || requirementIds.length === 0) return found;
    try {
      const keys = requirementIds.map((id) => this.key(id, userId));
      const values = await this.bounded(redis.mget(...keys));
      values.forEach((raw, i) => {
        const id = requirementIds[i];
        const result = raw ? parseResult(raw) : undefined;
        if (id !== undefined && result) found.set(id, result);
      });
    } catch (err) {
      this.opts.logger.debug(
        { err: (err as Error).message },
        'Requirement cache read failed; checking instead',
      );
    }
    return found;
  }

  async setMany(entries: ReadonlyArray<[requirementId: number, result: RequirementResult]>, userId: number) {
    const redis = this.usable();
    const decided = entries.filter(([, r]) => r.status === 'passed' || r.status === 'failed');
    if (!redis || decided.length === 0) return;
    try {
      const pipeline = redis.multi();
      for (const [id, result] of decided) {
        pipeline.set(this.key(id, userId), JSON.stringify(result), 'EX', this.ttlSec);
      }
      await this.bounded(pipeline.exec());
    } catch (err) {
      this.opts.logger.debug({ err: (err as Error).message }, 'Requirement cache write failed');
    }
  }

  /** Skips Redis while it is not connected instead of queueing behind a reconnect. */
  private usable(): Redis | null {
    const redis = this.opts.redis;
    return redis && redis.status === 'ready' ? redis : null;
  }

  private bounded<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis timed out')), this.timeoutMs);
      timer.unref();
    });
    promise.catch(() => undefined); // A late rejection after the timeout won.
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

function parseResult(raw: string): RequirementResult | undefined {
  try {
    const v = JSON.parse(raw) as Partial<RequirementResult>;
    if (
      (v.status === 'passed' || v.status === 'failed') &&
      typeof v.reason === 'string' &&
      typeof v.code === 'string'
    ) {
      return {
        status: v.status,
        reason: v.reason,
        code: v.code,
        link: typeof v.link === 'string' ? v.link : null,
      };
    }
  } catch {
    // A corrupt entry is just a miss.
  }
  return undefined;
}
