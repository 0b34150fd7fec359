import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let db: TestDatabase;
let app: TestApp;
const ALICE = { id: 1001, username: 'alice' };

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: db.url, BOT_TOKEN: TEST_BOT_TOKEN, ADMIN_IDS: '900' });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

describe('GET /api/v1/requirements/templates', () => {
  it('offers what this server can check (with a bot token, the Telegram checkers too), each with an id', async () => {
    const res = await asUser(app.url, ALICE)('/api/v1/requirements/templates');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { id: 'subscription', name: 'Subscribe to a channel', type: 'subscription' },
      { id: 'boost', name: 'Boost a channel', type: 'boost' },
      { id: 'premium', name: 'Telegram Premium', type: 'premium' },
      { id: 'account_age', name: 'Account age', type: 'account_age' },
      { id: 'custom', name: 'Custom', type: 'custom' },
    ]);
  });

  it('needs init-data like every /api/v1 route', async () => {
    expect((await fetch(`${app.url}/api/v1/requirements/templates`)).status).toBe(401);
  });
});

describe('GET /api/v1/prizes/templates', () => {
  it('answers the one custom prize template', async () => {
    const res = await asUser(app.url, ALICE)('/api/v1/prizes/templates');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { name: 'Custom', description: 'Free-form custom prize', type: 'custom' },
    ]);
  });
});
