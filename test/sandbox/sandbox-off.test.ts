// Sandbox mode is a local convenience: when it is off (explicitly, with a bot token, or in production) none of
// it is reachable, and init-data signed with a sandbox secret is refused like any forgery.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/index.ts';
import { loadSandboxSecret, signDemoInitData, DEMO_USERS } from '../../server/sandbox/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp } from '../support/test-app.ts';

let db: TestDatabase;
let dataDir: string;
const alice = DEMO_USERS[0] ?? { id: 1001, username: 'alice', first_name: 'Alice' };

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'sandbox-off-'));
});
afterAll(async () => {
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const SANDBOX_PATHS = ['/sandbox', '/sandbox/', '/sandbox/sandbox.js', '/sandbox/api/info'];

async function sandboxAnswers(env: Record<string, string>) {
  const app = await startTestApp({ DATABASE_URL: db.url, DATA_DIR: dataDir, ...env });
  try {
    const statuses = await Promise.all(
      SANDBOX_PATHS.map(async (p) => (await fetch(`${app.url}${p}`)).status),
    );
    const sign = await fetch(`${app.url}/sandbox/api/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ users: [alice] }),
    });
    // A request signed with the sandbox secret, as if the sandbox had handed it out earlier.
    const secret = loadSandboxSecret(join(dataDir, 'sandbox-secret'));
    const me = await fetch(`${app.url}/api/v1/users/me`, {
      headers: { 'x-telegram-init-data': signDemoInitData(alice, secret) },
    });
    return { statuses: [...statuses, sign.status], me: me.status };
  } finally {
    await app.stop();
  }
}

describe('sandbox mode', () => {
  it('serves nothing and accepts no sandbox-signed init-data when SANDBOX=off', async () => {
    const { statuses, me } = await sandboxAnswers({ SANDBOX: 'off' });
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    expect(me).toBe(401);
  });

  it('is off by default when a BOT_TOKEN is set', async () => {
    const { statuses, me } = await sandboxAnswers({ SANDBOX: 'auto', BOT_TOKEN: TEST_BOT_TOKEN });
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    expect(me).toBe(401);
  });

  it('is on by default without a BOT_TOKEN, and its secret survives a restart', async () => {
    const first = await sandboxAnswers({ SANDBOX: 'auto' });
    expect(first.statuses).toEqual([200, 200, 200, 200, 200]);
    expect(first.me).toBe(200);
    const secret = readFileSync(join(dataDir, 'sandbox-secret'), 'utf8');
    const again = await sandboxAnswers({ SANDBOX: 'auto' });
    expect(again.me).toBe(200);
    expect(readFileSync(join(dataDir, 'sandbox-secret'), 'utf8')).toBe(secret);
  });

  it('refuses SANDBOX=on in production or beside a bot token, and auto stays off in production', () => {
    expect(() => loadConfig({ SANDBOX: 'on', NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ SANDBOX: 'on', BOT_TOKEN: TEST_BOT_TOKEN })).toThrow(/SANDBOX: .*BOT_TOKEN/);
    expect(loadConfig({ NODE_ENV: 'production' }).sandbox.enabled).toBe(false);
    expect(loadConfig({}).sandbox.enabled).toBe(true);
  });

  it('keeps its secret in the data folder the embedded PostgreSQL uses', () => {
    for (const DATA_DIR of [undefined, '/srv/giveaway-data']) {
      const config = loadConfig(DATA_DIR ? { DATA_DIR } : {});
      if (config.database.kind !== 'embedded') throw new Error('expected embedded PostgreSQL');
      expect(config.sandbox.secretFile).toBe(join(config.database.dataDir, 'sandbox-secret'));
    }
  });

  it('answers a bad sign request with a VALIDATION error naming the field', async () => {
    const app = await startTestApp({ DATABASE_URL: db.url, DATA_DIR: dataDir, SANDBOX: 'on' });
    try {
      const res = await fetch(`${app.url}/sandbox/api/sign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ users: [{ id: -1, username: 'x', first_name: 'X' }] }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'VALIDATION' });
    } finally {
      await app.stop();
    }
  });
});
