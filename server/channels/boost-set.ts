// Who currently boosts a channel, fed by chat_boost / removed_chat_boost updates, so most boost checks need
// no Bot API call. A sorted set per channel scored by the boost's expiry: an expired boost stops counting
// by itself. A miss is not a "no": the checker then asks getUserChatBoosts.
import type { Logger, Redis } from '../platform/index.ts';

export interface BoostSetOptions {
  redis: Redis | null;
  keyPrefix: string;
  logger: Logger;
}

export class BoostSet {
  /** Single-node mode: channel → user → expiry (epoch seconds). */
  private readonly memory = new Map<number, Map<number, number>>();

  constructor(private readonly opts: BoostSetOptions) {}

  private key(chatId: number): string {
    return `${this.opts.keyPrefix}boosts:${chatId}`;
  }

  async add(chatId: number, userId: number, expiresAtSec: number): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    if (expiresAtSec <= now) return;
    const redis = this.ready();
    if (!redis) {
      const users = this.memory.get(chatId) ?? new Map<number, number>();
      users.set(userId, Math.max(users.get(userId) ?? 0, expiresAtSec));
      this.memory.set(chatId, users);
      return;
    }
    const key = this.key(chatId);
    try {
      await redis
        .multi()
        .zadd(key, 'GT', expiresAtSec, String(userId))
        .zremrangebyscore(key, '-inf', now)
        .expireat(key, expiresAtSec, 'GT')
        .exec();
      // EXPIREAT … GT does nothing on a key without a TTL: give a fresh key one.
      await redis.expireat(key, expiresAtSec, 'NX');
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message, chatId }, 'Could not record a boost');
    }
  }

  async remove(chatId: number, userId: number): Promise<void> {
    this.memory.get(chatId)?.delete(userId);
    const redis = this.ready();
    if (!redis) return;
    await redis.zrem(this.key(chatId), String(userId)).catch((err: unknown) => {
      this.opts.logger.warn({ err: (err as Error).message, chatId }, 'Could not remove a boost');
    });
  }

  /** True when a live boost is known; false means "not known here" (ask Telegram). */
  async has(chatId: number, userId: number): Promise<boolean> {
    const now = Math.floor(Date.now() / 1000);
    const redis = this.ready();
    if (!redis) return (this.memory.get(chatId)?.get(userId) ?? 0) > now;
    try {
      const score = await redis.zscore(this.key(chatId), String(userId));
      return score !== null && Number(score) > now;
    } catch {
      return false;
    }
  }

  private ready(): Redis | null {
    const redis = this.opts.redis;
    return redis && redis.status === 'ready' ? redis : null;
  }
}
