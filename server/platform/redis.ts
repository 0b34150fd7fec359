// Redis connections. Everything we keep in Redis can be lost (adapter traffic, rate limits, caches), so
// commands fail fast while Redis is away instead of queueing without bound.
import { Redis } from 'ioredis';
import type { RedisConfig } from '../config/index.ts';
import type { Logger } from './logger.ts';

export type { Redis };

export interface RedisClientOptions {
  /**
   * Queue commands while disconnected instead of failing them. For the adapter's pub/sub clients: their
   * (re)subscriptions must wait for Redis rather than reject into the void.
   */
  waitForConnection?: boolean;
}

export function createRedis(
  config: RedisConfig,
  logger: Logger,
  name: string,
  opts: RedisClientOptions = {},
): Redis {
  const url = new URL(config.url);
  const client = new Redis({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 6379),
    tls: url.protocol === 'rediss:' ? {} : undefined,
    password: config.password,
    db: config.db,
    connectionName: name,
    lazyConnect: true,
    maxRetriesPerRequest: opts.waitForConnection ? null : 1,
    // Reconnect forever with a capped backoff: a Redis restart must heal without a process restart.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) logger.warn({ module: 'redis', client: name, err: err.message }, 'Redis connection error');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ module: 'redis', client: name }, 'Redis connection restored');
    down = false;
  });
  return client;
}
