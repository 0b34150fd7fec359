// The webhook endpoints API on the real app: API keys only, per key, validated input, and SSRF attempts
// refused at registration (the app runs with the safe defaults: https only, public addresses only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { initDataFor, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let db: TestDatabase;
let app: TestApp;
let keyA: string;
let keyB: string;
const ALICE = { id: 3001, username: 'alice' };

async function call(key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${app.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function newKey(): Promise<string> {
  const res = await fetch(`${app.url}/api/v1/api-keys`, {
    method: 'POST',
    headers: { 'X-Telegram-Init-Data': initDataFor(ALICE), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'hooks' }),
  });
  return ((await res.json()) as { key: string }).key;
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: db.url, BOT_TOKEN: TEST_BOT_TOKEN, ROLES: 'api' });
  keyA = await newKey();
  keyB = await newKey();
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

// A public address (a literal: tests run without outside DNS); nothing is sent to it (the api role runs no workers).
const PUBLIC_URL = 'https://1.1.1.1/hook';

describe('managing endpoints with an API key', () => {
  it('registers, lists, reads, rotates, disables, re-enables and deletes, per key', async () => {
    const created = await call(keyA, 'POST', '/webhooks', {
      url: PUBLIC_URL,
      events: ['giveaway.created', 'giveaway.drawn'],
      description: 'my app',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: PUBLIC_URL,
      events: ['giveaway.created', 'giveaway.drawn'],
      enabled: true,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/=]{40,}$/),
    });
    const id = created.body.id as string;
    expect((await call(keyA, 'GET', '/webhooks')).body.items).toHaveLength(1);
    expect((await call(keyA, 'GET', `/webhooks/${id}`)).body).not.toHaveProperty('secret');
    // Another key of the same owner sees nothing of it.
    expect((await call(keyB, 'GET', '/webhooks')).body.items).toEqual([]);
    expect((await call(keyB, 'GET', `/webhooks/${id}`)).status).toBe(404);
    expect((await call(keyB, 'DELETE', `/webhooks/${id}`)).status).toBe(404);

    const rotated = await call(keyA, 'POST', `/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body.previous_secret_expires_at).toEqual(expect.any(String));

    const off = await call(keyA, 'POST', `/webhooks/${id}/enabled`, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, disabled_reason: 'Disabled by its owner' });
    const on = await call(keyA, 'POST', `/webhooks/${id}/enabled`, { enabled: true });
    expect(on.body).toMatchObject({ enabled: true, disabled_reason: null });
    expect((await call(keyA, 'GET', `/webhooks/${id}/deliveries`)).body).toEqual({
      items: [],
      next_before: null,
    });

    expect((await call(keyA, 'DELETE', `/webhooks/${id}`)).status).toBe(204);
    expect((await call(keyA, 'GET', `/webhooks/${id}`)).status).toBe(404);
  });

  it('refuses Mini App sessions: webhooks belong to API keys', async () => {
    const res = await fetch(`${app.url}/api/v1/webhooks`, {
      headers: { 'X-Telegram-Init-Data': initDataFor(ALICE) },
    });
    expect(res.status).toBe(403);
  });

  it('answers bad input with 400 naming the field, and stores nothing', async () => {
    const badEvent = await call(keyA, 'POST', '/webhooks', { url: PUBLIC_URL, events: ['giveaway.nope'] });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.code).toBe('VALIDATION');
    expect(JSON.stringify(badEvent.body)).toContain('events');
    const noEvents = await call(keyA, 'POST', '/webhooks', { url: PUBLIC_URL, events: [] });
    expect(noEvents.status).toBe(400);
    const badId = await call(keyA, 'GET', '/webhooks/not-a-uuid');
    expect(badId.status).toBe(400);
    expect((await call(keyA, 'GET', '/webhooks')).body.items).toEqual([]);
  });
});

describe('SSRF attempts are refused at registration', () => {
  const attempts: Array<[string, RegExp]> = [
    ['http://example.com/hook', /https/],
    ['https://127.0.0.1/hook', /loopback/],
    ['https://localhost:8080/hook', /loopback/],
    ['https://[::1]/hook', /loopback/],
    ['https://10.1.2.3/hook', /private/],
    ['https://192.168.0.10/hook', /private/],
    ['https://169.254.169.254/latest/meta-data/', /linkLocal/],
    ['https://[::ffff:127.0.0.1]/hook', /loopback/],
    ['https://0.0.0.0/hook', /unspecified/],
    ['https://user:pw@example.com/hook', /credentials/],
    ['https://no-such-host.invalid/hook', /resolve/],
  ];
  it.each(attempts)('refuses %s', async (url, reason) => {
    const res = await call(keyA, 'POST', '/webhooks', { url, events: ['giveaway.created'] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION', details: { fields: [{ field: 'url' }] } });
    expect(res.body.error).toMatch(reason);
  });
});
