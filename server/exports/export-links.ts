// One-time download tokens for the winners CSV: Redis (any node can redeem; GETDEL makes the first
// redeemer the only one) or, in single-node mode, a bounded in-process map.
import { randomBytes } from 'node:crypto';
import type { Redis } from '../platform/redis.ts';
import { AppError } from '../platform/errors.ts';

export interface ExportLinkStore {
  put(token: string, giveawayId: string, ttlSec: number): Promise<void>;
  /** The giveaway the token was issued for, exactly once; undefined when unknown, used or expired. */
  take(token: string): Promise<string | undefined>;
  /** What take() would return now, without using the token. */
  peek(token: string): Promise<string | undefined>;
}

export const newExportToken = (): string => randomBytes(32).toString('base64url');

export class RedisExportLinks implements ExportLinkStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async put(token: string, giveawayId: string, ttlSec: number): Promise<void> {
    await unavailableOnError(this.redis.set(this.key(token), giveawayId, 'EX', ttlSec));
  }

  async take(token: string): Promise<string | undefined> {
    return (await unavailableOnError(this.redis.getdel(this.key(token)))) ?? undefined;
  }

  async peek(token: string): Promise<string | undefined> {
    return (await unavailableOnError(this.redis.get(this.key(token)))) ?? undefined;
  }

  private key(token: string): string {
    return `${this.keyPrefix}export:${token}`;
  }
}

/** Without Redis there is one node, so its memory is the whole truth. */
export class MemoryExportLinks implements ExportLinkStore {
  private readonly links = new Map<string, { giveawayId: string; expiresAt: number }>();

  constructor(private readonly maxLinks = 10_000) {}

  put(token: string, giveawayId: string, ttlSec: number): Promise<void> {
    this.sweep();
    // Links live two minutes; a full map means someone is minting them in a loop. Refuse, don't grow.
    if (this.links.size >= this.maxLinks) {
      throw new AppError('UNAVAILABLE', 'Too many pending export links; retry shortly.', undefined, 5);
    }
    this.links.set(token, { giveawayId, expiresAt: Date.now() + ttlSec * 1000 });
    return Promise.resolve();
  }

  take(token: string): Promise<string | undefined> {
    const link = this.links.get(token);
    this.links.delete(token);
    return Promise.resolve(link && link.expiresAt > Date.now() ? link.giveawayId : undefined);
  }

  peek(token: string): Promise<string | undefined> {
    const link = this.links.get(token);
    return Promise.resolve(link && link.expiresAt > Date.now() ? link.giveawayId : undefined);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, link] of this.links) if (link.expiresAt <= now) this.links.delete(token);
  }
}

/** A link that could not be stored or read is a Redis outage for the caller, not a server bug. */
async function unavailableOnError<T>(op: Promise<T>): Promise<T> {
  try {
    return await op;
  } catch (err) {
    throw new AppError('UNAVAILABLE', 'Export links are unavailable; retry shortly.', undefined, 1, {
      cause: err,
    });
  }
}
