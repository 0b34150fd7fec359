import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis.ts';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let db: TestDatabase;
let redis: PrivateRedis;
let pgProxy: TcpProxy;
let app: TestApp;

const get = async (path: string) => {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  db = await createTestDatabase();
  redis = await startPrivateRedis();
  pgProxy = await startTcpProxy(Number(new URL(db.url).port || 5432));
  const url = new URL(db.url);
  url.port = String(pgProxy.port);
  app = await startTestApp({ DATABASE_URL: url.toString(), REDIS_URL: redis.url });
});

afterAll(async () => {
  await app?.stop();
  await pgProxy?.cut();
  await redis?.stop();
  await db?.drop();
});

describe('health and readiness', () => {
  it('report both dependencies with their latency when all is well', async () => {
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      postgres: { ok: true, latency_ms: expect.any(Number) },
      redis: { ok: true, latency_ms: expect.any(Number) },
    });
    expect((await get('/ready')).status).toBe(200);
    expect(await get('/live')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('go 503 while PostgreSQL is unreachable and recover when it returns', async () => {
    await pgProxy.cut();
    await expect
      .poll(() => get('/health'), { timeout: 15_000 })
      .toMatchObject({ status: 503, body: { status: 'unavailable', postgres: { ok: false } } });
    expect((await get('/ready')).status).toBe(503);
    expect((await get('/live')).status).toBe(200);
    await pgProxy.restore();
    await expect.poll(async () => (await get('/health')).status, { timeout: 15_000 }).toBe(200);
    expect((await get('/ready')).status).toBe(200);
  });

  it('report Redis down in /health while /ready stays 200, degraded (the node still serves), and recover', async () => {
    await redis.stop();
    await expect
      .poll(() => get('/health'), { timeout: 15_000 })
      .toMatchObject({ status: 503, body: { postgres: { ok: true }, redis: { ok: false } } });
    expect(await get('/ready')).toMatchObject({ status: 200, body: { ready: true, degraded: true } });
    await redis.start();
    await expect.poll(async () => (await get('/health')).status, { timeout: 15_000 }).toBe(200);
    expect(await get('/ready')).toMatchObject({ status: 200, body: { ready: true, degraded: false } });
  });

  it('serves Prometheus metrics with process, HTTP-by-route and pool figures', async () => {
    await get('/live');
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/live"/);
    expect(text).toContain('pg_pool_connections');
  });

  it('answers unknown routes and malformed JSON with coded errors', async () => {
    const missing = await get('/nope');
    expect(missing).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', error: expect.any(String) } });
    const res = await fetch(`${app.url}/live`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'VALIDATION' });
    const huge = await fetch(`${app.url}/live`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: 'a'.repeat(1_000_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('readiness before PostgreSQL is reachable', () => {
  it('answers /live but not /ready until the database appears, then migrates and becomes ready', async () => {
    const empty = await createTestDatabase({ empty: true });
    const proxy = await startTcpProxy(Number(new URL(empty.url).port || 5432));
    await proxy.cut();
    const url = new URL(empty.url);
    url.port = String(proxy.port);
    const late = await startTestApp({ DATABASE_URL: url.toString() }, { waitReady: false });
    try {
      const base = late.url;
      expect((await fetch(`${base}/live`)).status).toBe(200);
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ready: false, started: false });
      await proxy.restore();
      await late.app.whenReady();
      expect((await fetch(`${base}/ready`)).status).toBe(200);
    } finally {
      await late.stop();
      await proxy.cut();
      await empty.drop();
    }
  });
});
