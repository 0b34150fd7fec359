// The process as `npm start` runs it: boot, bad configuration, graceful shutdown, embedded defaults.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/free-port.ts';
import { startPrivateRedis } from '../support/redis.ts';
import { spawnServer } from '../support/server-process.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('server process', () => {
  it('refuses to boot on bad configuration, one line per bad variable, exit code 78', async () => {
    const server = spawnServer({ SERVER_PORT: 'http', MAX_OPEN_CONNS: '-1', DATABASE_URL: db.url });
    expect(await server.exit()).toBe(78);
    const output = server.lines.join('\n');
    expect(output).toMatch(/^ {2}SERVER_PORT: .*example: SERVER_PORT=8080$/m);
    expect(output).toMatch(/^ {2}MAX_OPEN_CONNS: must be at least 1 .*example: MAX_OPEN_CONNS=25$/m);
  });

  it('exits 0 promptly on SIGTERM, even with a client holding a keep-alive connection', async () => {
    const server = spawnServer({ DATABASE_URL: db.url, LOG_LEVEL: 'info' });
    await server.waitForLine(/"msg":"Ready"/);
    const port = server.httpPort();
    // A keep-alive connection held open by a client must not block the exit.
    const agentRes = await new Promise<number>((resolve, reject) => {
      const req = request({ port, path: '/live', headers: { connection: 'keep-alive' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(agentRes).toBe(200);
    const started = Date.now();
    expect(await server.kill('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.lines.some((l) => l.includes('"msg":"Stopped"'))).toBe(true);
  });

  it('takes POSTGRES_SSLMODE into account: require fails against a server without TLS, prefer falls back', async () => {
    const url = new URL(db.url);
    const parts = {
      POSTGRES_HOST: url.hostname,
      POSTGRES_PORT: url.port || '5432',
      POSTGRES_USER: decodeURIComponent(url.username),
      POSTGRES_PASSWORD: decodeURIComponent(url.password),
      POSTGRES_DB: url.pathname.slice(1),
    };
    const strict = spawnServer({ ...parts, POSTGRES_SSLMODE: 'require' });
    expect(await strict.exit()).toBe(1);
    expect(strict.lines.join('\n')).toMatch(/does not support SSL/);
    const lenient = spawnServer({ ...parts, POSTGRES_SSLMODE: 'prefer' });
    await lenient.waitForLine(/"msg":"Ready"/);
    expect(await lenient.kill()).toBe(0);
  });

  it('authenticates to Redis with REDIS_PASSWORD', async () => {
    const redis = await startPrivateRedis({ password: 's3cret' });
    try {
      const good = spawnServer({
        DATABASE_URL: db.url,
        REDIS_HOST: '127.0.0.1',
        REDIS_PORT: String(redis.port),
        REDIS_PASSWORD: 's3cret',
      });
      await good.waitForLine(/"msg":"Ready"/);
      const health = await fetch(`http://127.0.0.1:${good.httpPort()}/health`);
      expect(await health.json()).toMatchObject({ redis: { ok: true } });
      expect(await good.kill()).toBe(0);

      const bad = spawnServer({ DATABASE_URL: db.url, REDIS_URL: `redis://:wrong@127.0.0.1:${redis.port}` });
      await bad.waitForLine(/"msg":"Ready"/);
      const res = await fetch(`http://127.0.0.1:${bad.httpPort()}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ redis: { ok: false } });
      expect(await bad.kill()).toBe(0);
    } finally {
      await redis.stop();
    }
  });

  it('starts on embedded PostgreSQL with nothing configured, and again on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-embedded-'));
    const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: 'info' };
    try {
      for (const round of [1, 2]) {
        const server = spawnServer(env);
        await server.waitForLine(/"msg":"Ready"/, 60_000);
        const res = await fetch(`http://127.0.0.1:${server.httpPort()}/health`);
        expect(res.status, `round ${round}`).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ok', redis: 'disabled' });
        expect(server.lines.join('\n')).toContain('embedded PostgreSQL');
        expect(server.lines.join('\n')).toContain(round === 1 ? '"fresh":true' : '"fresh":false');
        expect(await server.kill()).toBe(0);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
