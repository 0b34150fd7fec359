// Rate limiting with the real stores: memory, shared Redis, and a Redis that dies or hangs.
import { Router } from 'express';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../server/platform/errors.ts';
import { createHttpApp } from '../../../server/platform/http/index.ts';
import { serve, type RunningServer } from '../../../server/platform/http/serve.ts';
import { createLogger } from '../../../server/platform/logger.ts';
import { createMetrics } from '../../../server/platform/metrics.ts';
import { createRedis } from '../../../server/platform/redis.ts';
import {
  consume,
  createRateLimiter,
  createRateLimits,
  DEFAULT_RATE_LIMIT_SETTINGS,
  rateSpec,
} from '../../../server/platform/rate-limit/index.ts';
import { startPrivateRedis, testKeyPrefix, testRedisUrl } from '../../support/redis.ts';
import { compileTrust } from '../../../server/platform/client-ip.ts';

const silent = createLogger('silent');

describe('createRateLimiter in memory', () => {
  it('refuses the call after the budget with a positive retry_after', async () => {
    const limiter = createRateLimiter({
      redis: null,
      keyPrefix: 'gw:',
      name: 'm',
      points: 3,
      durationSec: 60,
    });
    expect(limiter.store).toBe('memory');
    for (let i = 0; i < 3; i++) expect((await limiter.consume('u1')).allowed).toBe(true);

    const refused = await limiter.consume('u1');
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterSec).toBeGreaterThan(0);
    expect(refused.retryAfterSec).toBeLessThanOrEqual(60);
    expect((await limiter.consume('u2')).allowed).toBe(true);
  });

  it('makes consume() throw RATE_LIMITED with retryAfterSec', async () => {
    const limiter = createRateLimiter({
      redis: null,
      keyPrefix: 'gw:',
      name: 'c',
      points: 1,
      durationSec: 30,
    });
    await consume(limiter, 'k');
    const err = await consume(limiter, 'k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', httpStatus: 429 });
    expect((err as AppError).retryAfterSec).toBeGreaterThan(0);
  });
});

describe('createRateLimiter on Redis', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    await redis.ping(); // Until the client is ready, limiters count in memory (per node).
  });
  afterAll(() => redis.quit());

  it('shares one budget between nodes and refuses the N+1st call', async () => {
    const keyPrefix = testKeyPrefix();
    const node = () => createRateLimiter({ redis, keyPrefix, name: 'join-user', points: 3, durationSec: 60 });
    const [a, b] = [node(), node()];
    expect(a.store).toBe('redis');
    expect((await a.consume('7')).allowed).toBe(true);
    expect((await b.consume('7')).allowed).toBe(true);
    expect((await a.consume('7')).allowed).toBe(true);

    const refused = await b.consume('7');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSec).toBeGreaterThan(0);
    expect(await redis.pttl(`${keyPrefix}rl:join-user:7`)).toBeGreaterThan(0);
  });
});

describe('rateLimit middleware', () => {
  let http: RunningServer;
  beforeAll(async () => {
    const limits = createRateLimits(
      {
        ...DEFAULT_RATE_LIMIT_SETTINGS,
        joinPerUser: { points: 2, durationSec: 60 },
        joinPerIp: { points: 3, durationSec: 60 },
      },
      { redis: null, keyPrefix: testKeyPrefix() },
    );
    const api = Router();
    // Stands in for `authenticate` (tested elsewhere): the principal comes from a test header.
    api.use((req, _res, next) => {
      req.principal = {
        userId: Number(req.header('x-test-user')),
        isAdmin: false,
        isBanned: false,
        via: 'init-data',
      };
      next();
    });
    api.post('/join', limits.join.middleware, (_req, res) => void res.status(204).end());
    const app = createHttpApp({
      logger: silent,
      metrics: createMetrics(),
      origin: '*',
      trustProxy: compileTrust({ hops: 1 }),
      ops: Router(),
      routers: [{ path: '/api/v1', router: api }],
    });
    http = await serve(app, 0, '127.0.0.1');
  });
  afterAll(() => http.close(1_000));

  // The app trusts one proxy hop (TRUST_PROXY=1), so X-Forwarded-For sets req.ip here.
  const join = (user: number, ip: string) =>
    fetch(`http://127.0.0.1:${http.port}/api/v1/join`, {
      method: 'POST',
      headers: { 'x-test-user': String(user), 'x-forwarded-for': ip },
    });

  it('limits per user and per IP independently, answering 429 with retry_after', async () => {
    expect((await join(1, '10.0.0.1')).status).toBe(204);
    expect((await join(1, '10.0.0.1')).status).toBe(204);

    const perUser = await join(1, '10.0.0.2'); // Another address does not reset a user's budget.
    expect(perUser.status).toBe(429);
    const body = (await perUser.json()) as { code: string; error: string; retry_after: number };
    expect(body).toMatchObject({ code: 'RATE_LIMITED', error: 'Too many requests' });
    expect(body.retry_after).toBeGreaterThan(0);
    expect(Number(perUser.headers.get('retry-after'))).toBe(body.retry_after);

    expect((await join(2, '10.0.0.1')).status).toBe(204); // A fresh user on the same address: its 3rd point.
    expect((await join(3, '10.0.0.1')).status).toBe(429); // The address is spent, whoever asks.
    expect((await join(3, '10.0.0.3')).status).toBe(204); // That user still has budget elsewhere.
  });

  it('lets everything through when RATE_LIMIT=off', async () => {
    const off = createRateLimits(
      { ...DEFAULT_RATE_LIMIT_SETTINGS, enabled: false },
      { redis: null, keyPrefix: 'x' },
    );
    for (let i = 0; i < 50; i++) await off.join.consume({ userId: 1, ip: '10.0.0.9' });
    expect(off.enabled).toBe(false);
  });
});

describe('rate limits when Redis fails', () => {
  it('fall back to per-node memory counters, log it, and return to Redis when it is back', async () => {
    const server = await startPrivateRedis();
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const client = createRedis(
      { url: server.url, password: undefined, db: 0, keyPrefix: 'gw:', maxInFlight: 10 },
      silent,
      't',
    );
    const probe = new Redis(server.url);
    try {
      await client.connect();
      const keyPrefix = testKeyPrefix();
      const limiter = createRateLimiter({
        redis: client,
        keyPrefix,
        name: 'join-user',
        points: 3,
        durationSec: 60,
        logger,
      });
      for (let i = 0; i < 3; i++) expect((await limiter.consume('1')).allowed).toBe(true);
      expect((await limiter.consume('1')).allowed).toBe(false);

      await server.stop();
      await expect.poll(() => client.status, { timeout: 15_000 }).not.toBe('ready');
      // Memory counters start empty: the budget holds per node; nothing hangs and nothing is let through unlimited.
      const started = Date.now();
      for (let i = 0; i < 3; i++) expect((await limiter.consume('1')).allowed).toBe(true);
      const refused = await limiter.consume('1');
      expect(Date.now() - started).toBeLessThan(500);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterSec).toBeGreaterThan(0);
      expect(lines.filter((l) => l.includes('fall back to per-node memory'))).toHaveLength(1);

      await server.start();
      await expect.poll(() => client.status, { timeout: 15_000 }).toBe('ready');
      expect((await limiter.consume('2')).allowed).toBe(true);
      expect(await probe.get(`${keyPrefix}rl:join-user:2`)).toBe('1'); // Counting in Redis again.
    } finally {
      client.disconnect();
      probe.disconnect();
      await server.stop();
    }
  });

  it('fall back when Redis hangs instead of waiting on it', async () => {
    const server = await startPrivateRedis();
    const client = createRedis(
      { url: server.url, password: undefined, db: 0, keyPrefix: 'gw:', maxInFlight: 10 },
      silent,
      't',
    );
    const admin = new Redis(server.url);
    try {
      await client.connect();
      const limiter = createRateLimiter({
        redis: client,
        keyPrefix: testKeyPrefix(),
        name: 'create-user',
        points: 1,
        durationSec: 60,
        redisTimeoutMs: 200,
      });
      await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
      const started = Date.now();
      expect((await limiter.consume('1')).allowed).toBe(true);
      expect((await limiter.consume('1')).allowed).toBe(false);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      client.disconnect();
      admin.disconnect();
      await server.stop();
    }
  });
});

describe('rateSpec', () => {
  it('parses <points>/<seconds> and explains a bad value', () => {
    expect(rateSpec.parse(' 30/60 ')).toEqual({ points: 30, durationSec: 60 });
    expect(rateSpec.parse('10 / 3600')).toEqual({ points: 10, durationSec: 3600 });
    for (const bad of ['30', '0/60', '30/0', 'a/b', '30/60/1', '-1/60']) {
      const result = rateSpec.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/<points>\/<seconds>/);
    }
  });
});
