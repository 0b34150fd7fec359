import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { ask, connectSocket } from '../support/socket-client.ts';
import { asUser, initDataFor, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let db: TestDatabase;
let app: TestApp;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    RATE_LIMIT_JOIN_PER_USER: '2/60',
    RATE_LIMIT_CREATE_PER_USER: '1/3600',
  });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

describe('rate limits', () => {
  it('answer 429 RATE_LIMITED with retry_after on REST joins and creates, per user', async () => {
    const owner = asUser(app.url, { id: 1 });
    const first = await owner('/api/v1/giveaways', { method: 'POST', json: createBody() });
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    const second = await owner('/api/v1/giveaways', { method: 'POST', json: createBody() });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await second.json()).toMatchObject({ code: 'RATE_LIMITED', retry_after: expect.any(Number) });

    const bob = asUser(app.url, { id: 2 });
    expect((await bob(`/api/v1/giveaways/${id}/join`, { method: 'POST' })).status).toBe(200);
    expect((await bob(`/api/v1/giveaways/${id}/join`, { method: 'POST' })).status).toBe(200);
    const third = await bob(`/api/v1/giveaways/${id}/join`, { method: 'POST' });
    expect(third.status).toBe(429);
    // Another user is not affected.
    expect(
      (await asUser(app.url, { id: 3 })(`/api/v1/giveaways/${id}/join`, { method: 'POST' })).status,
    ).toBe(200);
  });

  it('limit a join flood from one socket with RATE_LIMITED acks', async () => {
    const owner = asUser(app.url, { id: 10 });
    const { id } = (await (
      await owner('/api/v1/giveaways', { method: 'POST', json: createBody() })
    ).json()) as { id: string };
    const socket = await connectSocket(app.app.realtimePort, { auth: { initData: initDataFor({ id: 11 }) } });
    const acks = await Promise.all(
      Array.from({ length: 20 }, () => ask(socket, 'giveaway:join', { giveaway_id: id })),
    );
    socket.disconnect();
    expect(acks.filter((a) => a.ok)).toHaveLength(2);
    expect(
      acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED' && a.error.retry_after > 0),
    ).toHaveLength(18);
  });
});
