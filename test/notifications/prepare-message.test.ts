// POST /giveaways/:id/prepare-message: a prepared inline message for the owner (savePreparedInlineMessage)
// with the live caption and an Open button, reused while cached; others are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { administerChannel, createBody } from '../support/giveaway-fixtures.ts';
import { FAKE_BOT_ID, FAKE_BOT_USERNAME, tgError } from '../support/fake-telegram.ts';
import { asUser } from '../support/telegram-user.ts';
import { startHarness, type Harness } from '../bot/support.ts';

let h: Harness;
let giveawayId: string;
const OWNER = 1600;
const CHANNEL = -1006660000001;
const prepare = (userId: number, id = giveawayId) =>
  asUser(h.url, { id: userId })(`/api/v1/giveaways/${id}/prepare-message`, { method: 'POST' });

beforeAll(async () => {
  h = await startHarness({ redis: true });
  h.fake.addChat({ id: CHANNEL, type: 'channel', title: 'Club', username: 'theclub' });
  h.fake.setMember(CHANNEL, FAKE_BOT_ID, { status: 'administrator', can_manage_chat: true });
  await h.db.pool.query('INSERT INTO users (id) VALUES ($1)', [OWNER]);
  await administerChannel(h.db.pool, OWNER, CHANNEL, 'theclub');
  const res = await asUser(h.url, { id: OWNER })('/api/v1/giveaways', {
    method: 'POST',
    json: createBody({
      title: 'Share <me>',
      requirements: [{ type: 'subscription', channel_id: CHANNEL }],
      sponsors: [{ id: CHANNEL }],
    }),
  });
  expect(res.status).toBe(201);
  giveawayId = ((await res.json()) as any).id;
});
afterAll(async () => {
  await h?.stop();
});

describe('prepare-message', () => {
  it('prepares an inline message for the owner with caption and Open button, then reuses it', async () => {
    const since = h.fake.since();
    const res = await prepare(OWNER);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toEqual({ msg_id: expect.any(String), cached: false });

    const call = since.callsOf('savePreparedInlineMessage')[0]?.payload ?? {};
    expect(call.user_id).toBe(OWNER);
    expect(call).toMatchObject({
      allow_user_chats: true,
      allow_group_chats: true,
      allow_channel_chats: true,
    });
    const caption: string = call.result.input_message_content.message_text;
    expect(caption).toContain('<b>Share &lt;me&gt;</b>');
    expect(caption).toContain('By @theclub');
    expect(caption).toMatch(/Ends: \d{2} \w{3} \d{4} \d{2}:\d{2} UTC/);
    expect(caption).toContain('• Stars ×3');
    expect(caption).toContain('• Subscribe to @theclub');
    expect(call.result.reply_markup.inline_keyboard).toEqual([
      [{ text: 'Open Giveaway', url: `https://t.me/${FAKE_BOT_USERNAME}?startapp=${giveawayId}` }],
    ]);

    const again = await (await prepare(OWNER)).json();
    expect(again).toEqual({ msg_id: body.msg_id, cached: true });
    expect(since.callsOf('savePreparedInlineMessage')).toHaveLength(1);
  });

  it('refuses anyone but the owner, and unknown giveaways', async () => {
    expect((await prepare(1601)).status).toBe(403);
    expect((await prepare(OWNER, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('answers 503 when Telegram refuses, so the Mini App falls back to a share link', async () => {
    await h.db.pool.query(`UPDATE giveaways SET description = 'changed' WHERE id = $1`, [giveawayId]);
    h.fake.failNext('savePreparedInlineMessage', tgError(400, 'Bad Request: USER_ID_INVALID'));
    const res = await prepare(OWNER);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'UNAVAILABLE', error: expect.any(String) });
  });
});
