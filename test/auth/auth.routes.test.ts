import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { asUser, initDataFor, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let db: TestDatabase;
let app: TestApp;
const ADMIN = { id: 900, username: 'boss' };
const ALICE = { id: 1001, username: 'alice', first_name: 'Alice', is_premium: true };

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: db.url, BOT_TOKEN: TEST_BOT_TOKEN, ADMIN_IDS: String(ADMIN.id) });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const me = (headers: Record<string, string>) => fetch(`${app.url}/api/v1/users/me`, { headers });

describe('Telegram init-data auth', () => {
  it('accepts the header, `Authorization: tma`, and ?init_data=, and upserts the user', async () => {
    const initData = initDataFor(ALICE);
    for (const res of [
      await me({ 'X-Telegram-Init-Data': initData }),
      await me({ Authorization: `tma ${initData}` }),
      await fetch(`${app.url}/api/v1/users/me?init_data=${encodeURIComponent(initData)}`),
    ]) {
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        id: 1001,
        username: 'alice',
        first_name: 'Alice',
        is_premium: true,
        role: 'user',
      });
    }
  });

  it('says which: missing (401 UNAUTHORIZED), forged (INIT_DATA_INVALID), expired (INIT_DATA_EXPIRED)', async () => {
    const missing = await me({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 'UNAUTHORIZED' });

    const forged = await me({
      'X-Telegram-Init-Data': initDataFor(ALICE, { token: '999:other-token-abcdefghijklmnopqrstu' }),
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'INIT_DATA_INVALID' });

    const tampered = initDataFor(ALICE).replace('alice', 'mallory');
    expect(await (await me({ 'X-Telegram-Init-Data': tampered })).json()).toMatchObject({
      code: 'INIT_DATA_INVALID',
    });

    const old = initDataFor(ALICE, { authDate: new Date(Date.now() - 90_000_000) });
    const expired = await me({ 'X-Telegram-Init-Data': old });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: 'INIT_DATA_EXPIRED' });

    expect(await (await me({ 'X-Telegram-Init-Data': 'garbage' })).json()).toMatchObject({
      code: 'INIT_DATA_INVALID',
    });
  });

  it('keeps role, status and wallet when the profile is upserted again', async () => {
    const carol = { id: 1003, username: 'carol', first_name: 'Carol' };
    expect((await me({ 'X-Telegram-Init-Data': initDataFor(carol) })).status).toBe(200);
    await db.pool.query(`UPDATE users SET wallet_address = 'EQwallet', role = 'admin' WHERE id = 1003`);
    const res = await me({ 'X-Telegram-Init-Data': initDataFor({ ...carol, first_name: 'Caroline' }) });
    expect(await res.json()).toMatchObject({
      first_name: 'Caroline',
      wallet_address: 'EQwallet',
      role: 'admin',
    });
  });
});

describe('bans', () => {
  it('lets only admins ban, and a banned user gets 403 USER_BANNED on every mutation', async () => {
    const bob = { id: 1002, username: 'bob' };
    const asBob = asUser(app.url, bob);
    expect((await asBob('/api/v1/users/me')).status).toBe(200);

    const notAdmin = await asUser(app.url, ALICE)('/api/v1/users/1002/status', {
      method: 'PUT',
      json: { status: 'banned' },
    });
    expect(notAdmin.status).toBe(403);

    const asAdmin = asUser(app.url, ADMIN);
    const bad = await asAdmin('/api/v1/users/1002/status', { method: 'PUT', json: { status: 'deleted' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'VALIDATION' });
    const ban = await asAdmin('/api/v1/users/1002/status', { method: 'PUT', json: { status: 'banned' } });
    expect(ban.status).toBe(200);
    expect(await ban.json()).toMatchObject({ id: 1002, status: 'banned' });

    // A later login must not lift the ban (the legacy /users/me reset it to active).
    const meAgain = await asBob('/api/v1/users/me');
    expect(await meAgain.json()).toMatchObject({ status: 'banned' });
    const mutation = await asBob('/api/v1/api-keys', { method: 'POST', json: { name: 'x' } });
    expect(mutation.status).toBe(403);
    expect(await mutation.json()).toMatchObject({ code: 'USER_BANNED' });

    const unknown = await asAdmin('/api/v1/users/424242/status', {
      method: 'PUT',
      json: { status: 'banned' },
    });
    expect(unknown.status).toBe(404);
  });
});

describe('API keys', () => {
  it('returns the secret once, stores only its hash, authenticates as the owner, and stops after revocation', async () => {
    const asAlice = asUser(app.url, ALICE);
    const created = await asAlice('/api/v1/api-keys', { method: 'POST', json: { name: 'overlay' } });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    expect(key).toMatch(/^gwk_[0-9a-f]{8}_/);

    const { rows } = await db.pool.query(`SELECT secret_hash FROM api_keys WHERE id = $1`, [id]);
    expect(rows[0].secret_hash.toString('hex')).not.toContain(key);

    const list = await (await asAlice('/api/v1/api-keys')).json();
    expect(list).toEqual([expect.objectContaining({ id, name: 'overlay' })]);
    expect(JSON.stringify(list)).not.toContain(key);

    const viaKey = await fetch(`${app.url}/api/v1/users/me`, { headers: { Authorization: `Bearer ${key}` } });
    expect(await viaKey.json()).toMatchObject({ id: 1001 });

    expect((await asAlice(`/api/v1/api-keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await fetch(`${app.url}/api/v1/users/me`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ code: 'API_KEY_INVALID' });

    const garbage = await fetch(`${app.url}/api/v1/users/me`, { headers: { Authorization: 'Bearer nope' } });
    expect(await garbage.json()).toMatchObject({ code: 'API_KEY_INVALID' });
  });
});
