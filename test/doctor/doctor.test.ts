// `npm run doctor` as a deployment runs it: a child process reading the environment, one table on stdout, and
// an exit code. Real PostgreSQL and Redis; the Bot API, drand and TonAPI are small fakes on loopback, and
// PUBLIC_BASE_URL points at a real server started from the composition root.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUICKNET } from '../../server/draws/protocol/seed.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { FakeTelegram, tgError } from '../support/fake-telegram.ts';
import { freePort } from '../support/free-port.ts';
import { testRedisUrl } from '../support/redis.ts';
import { TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const CLI = fileURLToPath(new URL('../../server/doctor/cli.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

interface DoctorRun {
  code: number | null;
  out: string;
}

/**
 * Runs the doctor with exactly `env` (plus PATH and HOME). Its working directory is an empty folder, so a
 * developer's .env in the checkout cannot leak into the test.
 */
async function runDoctor(env: Record<string, string>): Promise<DoctorRun> {
  const proc = spawn(process.execPath, ['--import', TSX, CLI], {
    cwd: emptyDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(proc, 'exit')) as [number | null];
  return { code, out };
}

/** The table row of `check`, as `status check detail fix` with runs of spaces collapsed. */
function row(out: string, check: string): string {
  const line = out
    .split('\n')
    .map((l) => l.replace(/\s{2,}/g, ' ').trim())
    .find((l) => l.split(' ')[1] === check);
  if (!line) throw new Error(`no "${check}" row in:\n${out}`);
  return line;
}

/** drand quicknet's /info and TonAPI's /v2/status, as the real services answer them. */
async function startFakeOutside(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const json = (body: object) =>
      res.setHeader('content-type', 'application/json').end(JSON.stringify(body));
    if (req.url === `/${QUICKNET.chainHash}/info`) {
      json({
        public_key: 'ab',
        period: QUICKNET.periodSeconds,
        genesis_time: QUICKNET.genesisUnix,
        hash: QUICKNET.chainHash,
      });
    } else if (req.url === '/v2/status') {
      json({ rest_online: true, indexing_latency: 1 });
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let db: TestDatabase;
let emptyDir: string;
let telegram: FakeTelegram;
let outside: Awaited<ReturnType<typeof startFakeOutside>>;
let app: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  emptyDir = mkdtempSync(join(tmpdir(), 'doctor-'));
  telegram = await FakeTelegram.start();
  telegram.on('getWebhookInfo', () => ({ ok: true, result: { url: '', pending_update_count: 0 } }));
  outside = await startFakeOutside();
  app = await startTestApp({ DATABASE_URL: db.url, ROLES: 'api' });
});
afterAll(async () => {
  await app?.stop();
  await outside?.stop();
  await telegram?.stop();
  await db?.drop();
  if (emptyDir) rmSync(emptyDir, { recursive: true, force: true });
});

/** A deployment whose every dependency answers. */
const healthy = (): Record<string, string> => ({
  DATABASE_URL: db.url,
  REDIS_URL: testRedisUrl(),
  BOT_TOKEN: TEST_BOT_TOKEN,
  BOT_API_ROOT: telegram.apiRoot,
  PUBLIC_BASE_URL: app.url,
  DRAND_URLS: outside.url,
  TONAPI_BASE_URL: outside.url,
});

describe('npm run doctor', () => {
  it('exits 0 and reports every dependency ok on a healthy setup', async () => {
    const { code, out } = await runDoctor(healthy());
    expect(out).toMatch(/^0 failure\(s\)/m);
    expect(code).toBe(0);
    expect(row(out, 'configuration')).toMatch(/^ok /);
    expect(row(out, 'postgresql')).toMatch(/^ok postgresql PostgreSQL \d+/);
    expect(row(out, 'migrations')).toBe('ok migrations all applied');
    expect(row(out, 'redis')).toMatch(/^ok redis Redis \d/);
    expect(row(out, 'bot')).toBe('ok bot api @test_giveaway_bot');
    expect(row(out, 'drand')).toMatch(/^ok drand .* serves quicknet$/);
    expect(row(out, 'tonapi')).toMatch(/^ok tonapi /);
    // Reachable, but plain http on this machine: fine here, flagged for production.
    expect(row(out, 'public')).toMatch(/^warning public url .*answers \/live with 200 \(local http\)/);
  });

  it('fails with the fix when the Bot API refuses the token (401)', async () => {
    const revoked = await FakeTelegram.start();
    revoked.on('getMe', () => tgError(401, 'Unauthorized'));
    try {
      const { code, out } = await runDoctor({ ...healthy(), BOT_API_ROOT: revoked.apiRoot });
      expect(code).toBe(1);
      expect(row(out, 'bot')).toMatch(
        /^FAILURE bot api getMe refused: 401 Unauthorized BOT_TOKEN is wrong or revoked: copy the current token from @BotFather\.$/,
      );
    } finally {
      await revoked.stop();
    }
  });

  it('fails with the fix when Redis is down', async () => {
    const closed = await freePort();
    const { code, out } = await runDoctor({ ...healthy(), REDIS_URL: `redis://127.0.0.1:${closed}` });
    expect(code).toBe(1);
    expect(row(out, 'redis')).toMatch(
      new RegExp(
        `^FAILURE redis cannot reach 127\\.0\\.0\\.1:${closed} db 0: .*Start Redis or fix REDIS_URL`,
      ),
    );
  });

  it('fails with the fix when migrations are pending', async () => {
    const fresh = await createTestDatabase({ empty: true });
    try {
      const { code, out } = await runDoctor({ ...healthy(), DATABASE_URL: fresh.url });
      expect(code).toBe(1);
      expect(row(out, 'postgresql')).toMatch(/^ok postgresql/);
      expect(row(out, 'migrations')).toMatch(
        /^FAILURE migrations \d+ pending: 0001_.*Run `npm run db:migrate`/,
      );
    } finally {
      await fresh.drop();
    }
  });

  it('fails with the fix when PUBLIC_BASE_URL is plain http', async () => {
    const { code, out } = await runDoctor({ ...healthy(), PUBLIC_BASE_URL: 'http://giveaway.example.com' });
    expect(code).toBe(1);
    expect(row(out, 'public')).toMatch(
      /^FAILURE public url http:\/\/giveaway\.example\.com is not https Serve the API over https and set PUBLIC_BASE_URL=https:/,
    );
  });

  it('fails on a bad configuration with the example value as the fix, and checks nothing else', async () => {
    const { code, out } = await runDoctor({ ...healthy(), REDIS_URL: 'not a url' });
    expect(code).toBe(1);
    expect(row(out, 'configuration')).toMatch(
      /^FAILURE configuration REDIS_URL: .* example: REDIS_URL=redis:/,
    );
    expect(out).not.toMatch(/postgresql/);
  });
});
