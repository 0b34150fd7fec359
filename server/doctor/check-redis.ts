// Redis: optional on one node, required by CLUSTER; reachable, its version (the sharded adapter needs 7).
import { Redis } from 'ioredis';
import type { Config } from '../config/index.ts';
import { failure, ok, reason, warning, type CheckResult } from './check-result.ts';

export async function checkRedis(config: Config): Promise<CheckResult> {
  const redisConfig = config.redis;
  if (!redisConfig) {
    return warning(
      'redis',
      'not configured: single-node mode (in-memory adapter and rate limits)',
      'Fine for one node; set REDIS_URL before running more than one.',
    );
  }
  const url = new URL(redisConfig.url);
  const client = new Redis({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 6379),
    tls: url.protocol === 'rediss:' ? {} : undefined,
    password: redisConfig.password,
    db: redisConfig.db,
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined); // Reported below, once.
  const where = `${url.host} db ${redisConfig.db}`;
  try {
    await client.connect();
    const info = await client.info('server');
    const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? 'unknown';
    const major = Number(version.split('.')[0]);
    if (Number.isFinite(major) && major < 7) {
      return warning('redis', `Redis ${version} at ${where}`, 'Use Redis 7 or newer (sharded pub/sub).');
    }
    return ok('redis', `Redis ${version} at ${where}`);
  } catch (err) {
    return failure(
      'redis',
      `cannot reach ${where}: ${reason(err)}`,
      'Start Redis or fix REDIS_URL / REDIS_PASSWORD.',
    );
  } finally {
    client.disconnect();
  }
}
