// RedisPath on a private redis-server killed with SIGKILL and started again: local at once when the
// connections drop, redis again once both answer, and by then the subscriber's channels are back.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/platform/logger.ts';
import { createMetrics } from '../../server/platform/metrics.ts';
import { createRedis } from '../../server/platform/redis.ts';
import { RedisPath, type DeliveryMode } from '../../server/platform/realtime/index.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/redis.ts';

const logger = createLogger('silent');
let redis: PrivateRedis;
let pub: Redis;
let sub: Redis;
let path: RedisPath;
const metrics = createMetrics();
const modes: DeliveryMode[] = [];
const received: string[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  const config = { url: redis.url, password: undefined, db: 0, keyPrefix: 'gw:', maxInFlight: 100 };
  pub = createRedis(config, logger, 'path-test:pub', { waitForConnection: true });
  sub = createRedis(config, logger, 'path-test:sub', { waitForConnection: true });
  await Promise.all([pub.connect(), sub.connect()]);
  sub.on('smessage', (_channel: string, message: string) => received.push(message));
  await sub.ssubscribe('room-channel');
  path = new RedisPath({ clients: [pub, sub], logger, metrics, probeMs: 200 });
  path.onModeChange((mode) => modes.push(mode));
  path.start();
});

afterAll(async () => {
  path?.stop();
  pub?.disconnect();
  sub?.disconnect();
  await redis?.stop();
});

const gauge = async () => (await metrics.registry.getSingleMetricAsString('realtime_delivery_mode')).trim();

describe('RedisPath', () => {
  it('turns local as soon as Redis dies and back to redis, subscriptions included, once it answers again', async () => {
    await expect.poll(() => path.mode).toBe('redis');
    expect(await gauge()).toMatch(/mode="redis"} 1/);

    await redis.stop();
    const stoppedAt = Date.now();
    await expect.poll(() => path.mode, { interval: 10 }).toBe('local');
    expect(Date.now() - stoppedAt).toBeLessThan(500);
    expect(await gauge()).toMatch(/mode="local"} 1/);

    await redis.start();
    const startedAt = Date.now();
    await expect.poll(() => path.mode, { timeout: 10_000, interval: 10 }).toBe('redis');
    expect(Date.now() - startedAt).toBeLessThan(4_000);
    // Declared up only once the subscriber's channels are back: a publish now is heard.
    const probe = new Redis(redis.url);
    await probe.spublish('room-channel', 'after');
    probe.disconnect();
    await expect.poll(() => received).toContain('after');
    expect(modes.slice(-2)).toEqual(['local', 'redis']);
  });
});
