// grammY session storage on ioredis (the role of @grammyjs/storage-redis): one JSON value per key with a
// sliding TTL, so abandoned /new conversations disappear on their own. Values are validated on read.
import type { StorageAdapter } from 'grammy';
import type { z } from 'zod';
import type { Redis } from '../platform/index.ts';

export interface RedisSessionStorageOptions<T> {
  redis: Redis;
  /** Full key prefix, e.g. `gw:bot:session:`. */
  prefix: string;
  ttlSec: number;
  schema: z.ZodType<T>;
}

export class RedisSessionStorage<T> implements StorageAdapter<T> {
  constructor(private readonly opts: RedisSessionStorageOptions<T>) {}

  async read(key: string): Promise<T | undefined> {
    const raw = await this.opts.redis.get(this.opts.prefix + key);
    if (raw === null) return undefined;
    try {
      const parsed = this.opts.schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // Corrupt: start over rather than fail every update of this chat.
    }
  }

  async write(key: string, value: T): Promise<void> {
    await this.opts.redis.set(this.opts.prefix + key, JSON.stringify(value), 'EX', this.opts.ttlSec);
  }

  async delete(key: string): Promise<void> {
    await this.opts.redis.del(this.opts.prefix + key);
  }
}
