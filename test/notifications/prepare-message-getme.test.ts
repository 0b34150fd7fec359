// Regression: prepare-message answered 500 when getMe failed, because the share service asked for the bot's
// username (getMe, for the deep link) outside its Telegram error handling.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBody } from '../support/giveaway-fixtures.ts';
import { tgError } from '../support/fake-telegram.ts';
import { asUser } from '../support/telegram-user.ts';
import { startHarness, type Harness } from '../bot/support.ts';

let h: Harness;
let giveawayId: string;
const OWNER = 1700;
const prepare = () =>
  asUser(h.url, { id: OWNER })(`/api/v1/giveaways/${giveawayId}/prepare-message`, { method: 'POST' });

// A server per test: the bot identity is cached once fetched, so a test that needs getMe to fail must not
// follow one that already fetched it.
beforeEach(async () => {
  h = await startHarness();
  const res = await asUser(h.url, { id: OWNER })('/api/v1/giveaways', { method: 'POST', json: createBody() });
  expect(res.status).toBe(201);
  giveawayId = ((await res.json()) as { id: string }).id;
});
afterEach(async () => {
  await h?.stop();
});

describe('prepare-message when getMe fails', () => {
  it('answers a coded, retryable 503 instead of a 500, then succeeds once Telegram answers', async () => {
    h.fake.on('getMe', () => tgError(502, 'Bad Gateway'));
    try {
      const refused = await prepare();
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      h.fake.on('getMe', undefined);
    }
    expect((await prepare()).status).toBe(200);
  });

  it('asks getMe once and reuses the bot identity for later messages', async () => {
    const getMeCalls = () => h.fake.callsOf('getMe').length;
    const first = await prepare();
    expect(first.status).toBe(200);
    const before = getMeCalls();
    await h.db.pool.query(`UPDATE giveaways SET description = 'v2' WHERE id = $1`, [giveawayId]);
    expect((await prepare()).status).toBe(200);
    expect(getMeCalls()).toBe(before);
  });
});
