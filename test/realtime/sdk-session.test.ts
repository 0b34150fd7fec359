// The SDK's side of sessions: it answers `session:expiring` by asking the host's auth callback for fresh
// init-data and sending `auth:refresh`, so joins go on past the first init-data's expiry on the same socket;
// after `session:ended` (a ban) it stops in `failed` with the server's code instead of reconnecting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type GiveawayClient } from '../../client-sdk/src/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { asUser, initDataFor, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const TTL_SEC = 3600;
const ADMIN = { id: 900 };
let db: TestDatabase;
let app: TestApp;
const clients: GiveawayClient[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    ADMIN_IDS: String(ADMIN.id),
    RATE_LIMIT: 'off',
    INIT_DATA_TTL: String(TTL_SEC),
  });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await app?.stop();
  await db?.drop();
});

async function newGiveaway(): Promise<string> {
  const res = await asUser(app.url, { id: 1 })('/api/v1/giveaways', { method: 'POST', json: createBody() });
  return ((await res.json()) as { id: string }).id;
}

function client(auth: () => { initData: string }): GiveawayClient {
  const c = createClient({
    baseUrl: app.url,
    realtimeUrl: `http://127.0.0.1:${app.app.realtimePort}`,
    auth,
  });
  clients.push(c);
  return c;
}

describe('SDK sessions', () => {
  it('refreshes init-data through the auth callback before it expires, and joins on the same socket after', async () => {
    const [first, second] = [await newGiveaway(), await newGiveaway()];
    const user = { id: 4001 };
    const expiresAt = Math.floor(Date.now() / 1000) * 1000 + 3_000;
    let calls = 0;
    const sdk = client(() => {
      calls++;
      // The first init-data expires in about 3 s; every later one is fresh.
      const authDate = calls === 1 ? new Date(expiresAt - TTL_SEC * 1000) : new Date();
      return { initData: initDataFor(user, { authDate }) };
    });
    const states: string[] = [];
    sdk.onConnectionState((s) => states.push(s));
    expect(await sdk.join(first)).toEqual({ status: 'joined' });
    await expect.poll(() => calls, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => Date.now() > expiresAt + 200, { timeout: 6_000, interval: 100 }).toBe(true);
    expect(await sdk.join(second)).toEqual({ status: 'joined' });
    // One connection throughout: refreshed in place, never reconnected.
    expect(states.filter((s) => s === 'connected')).toHaveLength(1);
  });

  it('stops in `failed` with USER_BANNED after a ban, without reconnecting', async () => {
    const id = await newGiveaway();
    const user = { id: 4002 };
    let calls = 0;
    const sdk = client(() => {
      calls++;
      return { initData: initDataFor(user) };
    });
    expect(await sdk.join(id)).toEqual({ status: 'joined' });
    const ban = await asUser(app.url, ADMIN)(`/api/v1/users/${user.id}/status`, {
      method: 'PUT',
      json: { status: 'banned' },
    });
    expect(ban.status).toBe(200);
    await expect.poll(() => sdk.connectionState, { timeout: 2_000 }).toBe('failed');
    await expect(sdk.join(id)).rejects.toMatchObject({ code: 'USER_BANNED' });
    expect(calls).toBe(1);
  });
});
