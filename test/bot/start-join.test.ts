// The bot over long polling against the fake Bot API: /start <giveaway id> shows the card, its Join button
// goes through the real join path (rows in PostgreSQL), and every outcome gets an answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../server/auth/index.ts';
import { administerChannel, createBody } from '../support/giveaway-fixtures.ts';
import { FAKE_BOT_ID, FAKE_BOT_USERNAME } from '../support/fake-telegram.ts';
import { callbackQuery, startHarness, textMessage, type Harness } from './support.ts';

let h: Harness;
const CREATOR = 700;
const creator: Principal = { userId: CREATOR, isAdmin: false, isBanned: false, via: 'init-data' };
const CHANNEL = -1001234500001;

async function newGiveaway(overrides: Record<string, unknown> = {}) {
  const view = await h.giveaways.create(creator, createBody(overrides));
  return view.id;
}

/** Sends an update through long polling and waits for the bot's next call of `method`. */
async function roundTrip(update: Record<string, unknown>, method: string) {
  const before = h.fake.callsOf(method).length;
  h.fake.pushUpdate(update);
  await h.fake.waitFor(() => h.fake.callsOf(method).length > before, 10_000, method);
  return h.fake.callsOf(method)[before]?.payload ?? {};
}

beforeAll(async () => {
  h = await startHarness({ redis: true });
  await h.db.pool.query(`INSERT INTO users (id, first_name) VALUES ($1, 'Creator')`, [CREATOR]);
  await h.startBot();
});
afterAll(async () => {
  await h?.stop();
});

describe('bot /start and Join', () => {
  it('shows the giveaway card with Join and Open App buttons for /start <id>', async () => {
    const id = await newGiveaway({ title: 'Win <b>stars</b> & more' });
    const sent = await roundTrip(textMessage(501, `/start ${id}`), 'sendMessage');

    expect(sent.chat_id).toBe(501);
    expect(sent.parse_mode).toBe('HTML');
    expect(sent.text).toContain('Win &lt;b&gt;stars&lt;/b&gt; &amp; more');
    expect(sent.text).toContain('Participants: <b>0</b>');
    expect(sent.text).toMatch(/Ends: \d{2} \w{3} \d{4} \d{2}:\d{2} UTC/);
    expect(sent.reply_markup.inline_keyboard).toEqual([
      [{ text: '🎉 Join', callback_data: `j:${id}` }],
      [{ text: 'Open App', url: `https://t.me/${FAKE_BOT_USERNAME}?startapp=${id}` }],
    ]);
    // The sender became a user (the join path needs the row).
    const { rows } = await h.db.pool.query('SELECT username FROM users WHERE id = 501');
    expect(rows[0]?.username).toBe('user501');
  });

  it('joins through the same path as REST and refreshes the count on the card', async () => {
    const id = await newGiveaway();
    // Only this test's card edits: another test's join may already have edited a card to show 1.
    const since = h.fake.since();
    const answer = await roundTrip(callbackQuery(502, `j:${id}`), 'answerCallbackQuery');
    expect(answer.text).toBe("🎉 You're in! Good luck.");

    const { rows } = await h.db.pool.query(
      'SELECT p.source, g.participants_count FROM participants p JOIN giveaways g ON g.id = p.giveaway_id WHERE p.giveaway_id = $1 AND p.user_id = 502',
      [id],
    );
    expect(rows).toEqual([{ source: 'bot', participants_count: 1 }]);
    await h.fake.waitFor(() =>
      since.callsOf('editMessageText').some((c) => c.payload.text.includes('<b>1</b>')),
    );

    const again = await roundTrip(callbackQuery(502, `j:${id}`), 'answerCallbackQuery');
    expect(again.text).toBe('You have already joined this giveaway.');
  });

  it('tells the user a giveaway has ended', async () => {
    const id = await newGiveaway();
    await h.db.pool.query(
      `UPDATE giveaways SET started_at = now() - interval '2 hours', ends_at = now() - interval '1 hour' WHERE id = $1`,
      [id],
    );
    const answer = await roundTrip(callbackQuery(503, `j:${id}`), 'answerCallbackQuery');
    expect(answer.text).toBe('This giveaway has ended.');
  });

  it('lists unmet requirements with links to fix them', async () => {
    h.fake.addChat({ id: CHANNEL, type: 'channel', title: 'News', username: 'newsroom' });
    h.fake.setMember(CHANNEL, FAKE_BOT_ID, { status: 'administrator', can_manage_chat: true });
    await administerChannel(h.db.pool, CREATOR, CHANNEL, 'newsroom');
    const id = await newGiveaway({ requirements: [{ type: 'subscription', channel_id: CHANNEL }] });

    const answer = await roundTrip(callbackQuery(504, `j:${id}`), 'answerCallbackQuery');
    expect(answer.text).toBe('Some requirements are not met yet.');
    const isHelp = (c: { payload: Record<string, any> }) => c.payload.chat_id === 504;
    await h.fake.waitFor(() => h.fake.callsOf('sendMessage').some(isHelp));
    const help = h.fake.callsOf('sendMessage').find(isHelp)?.payload ?? {};
    expect(help.text).toContain('Subscribe to @newsroom');
    expect(help.reply_markup.inline_keyboard[0]).toEqual([
      { text: 'Subscribe to @newsroom to take part', url: 'https://t.me/newsroom' },
    ]);
    expect(help.reply_markup.inline_keyboard.at(-1)[0].callback_data).toBe(`j:${id}`);

    h.fake.setMember(CHANNEL, 505, { status: 'member' });
    const ok = await roundTrip(callbackQuery(505, `j:${id}`), 'answerCallbackQuery');
    expect(ok.text).toBe("🎉 You're in! Good luck.");
  });

  it('answers stale or forged buttons politely', async () => {
    expect((await roundTrip(callbackQuery(506, 'j:not-a-giveaway'), 'answerCallbackQuery')).text).toBe(
      'This button has expired.',
    );
    expect((await roundTrip(callbackQuery(506, 'zz:whatever'), 'answerCallbackQuery')).text).toBe(
      'This button has expired.',
    );
    const gone = '00000000-0000-4000-8000-000000000000';
    expect((await roundTrip(callbackQuery(506, `j:${gone}`), 'answerCallbackQuery')).text).toBe(
      'This giveaway no longer exists.',
    );
  });

  it('lists the giveaways of the user with /my', async () => {
    const id = await newGiveaway({ title: 'Mine & yours' });
    const sent = await roundTrip(textMessage(CREATOR, '/my'), 'sendMessage');
    expect(sent.text).toContain('<b>Created by you</b>');
    expect(sent.text).toContain(`startapp=${id}">Mine &amp; yours</a>`);
  });
});
