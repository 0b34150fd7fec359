// /new walks a creator through a giveaway in the chat; the conversation is a grammY session in Redis (or
// memory without Redis), and the result is created by GiveawaysService with a channel requirement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { administerChannel } from '../support/giveaway-fixtures.ts';
import { FAKE_BOT_ID } from '../support/fake-telegram.ts';
import { callbackQuery, deliver, startHarness, textMessage, type Harness } from './support.ts';

const CREATOR = 800;
const CHANNEL = -1009876500001;

function lastTextTo(h: Harness, chatId: number): string {
  const call = h.fake.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === chatId).at(-1);
  return String(call?.payload.text ?? '');
}

async function say(h: Harness, text: string) {
  await deliver(h, textMessage(CREATOR, text));
  return lastTextTo(h, CREATOR);
}

describe('/new with Redis sessions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ redis: true });
    h.fake.addChat({ id: CHANNEL, type: 'channel', title: 'Deals <daily>', username: 'dealsdaily' });
    h.fake.setMember(CHANNEL, FAKE_BOT_ID, { status: 'administrator', can_manage_chat: true });
    await administerChannel(h.db.pool, CREATOR, CHANNEL, 'dealsdaily');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('creates a giveaway with a subscription requirement step by step', async () => {
    expect(await say(h, '/new')).toContain('What is the <b>title</b>');
    expect(await say(h, 'x'.repeat(101))).toBe('The title must be at most 100 characters.');
    expect(await say(h, 'Summer <sale>')).toContain('<b>prizes</b>');

    // The draft is in Redis, so another node could carry on with the next message.
    const stored = await h.redis?.get(`${h.keyPrefix}bot:session:new:${CREATOR}`);
    expect(JSON.parse(stored ?? '{}')).toMatchObject({
      draft: { step: 'prizes', title: 'Summer <sale>' },
    });

    expect(await say(h, 'Telegram Premium\nStars x100')).toContain('<b>winners</b>');
    expect(await say(h, 'zero')).toBe('Send a whole number from 1 to 1000.');
    expect(await say(h, '3')).toContain('How long');
    expect(await say(h, '61d')).toBe('The longest giveaway is 60 days.');
    const channelStep = h.fake.calls.filter((c) => c.method === 'sendMessage').length;
    await say(h, '2h');
    const picker = h.fake.callsOf('sendMessage')[channelStep]?.payload ?? {};
    expect(picker.text).toContain('subscribe to a channel');
    expect(picker.reply_markup.inline_keyboard).toEqual([
      // The title recorded when the bot was added; creation refreshes it from Telegram (below).
      [{ text: 'Channel dealsdaily', callback_data: `n:c:${CHANNEL}` }],
      [{ text: 'No channel requirement', callback_data: 'n:c:0' }],
    ]);

    await deliver(h, callbackQuery(CREATOR, `n:c:${CHANNEL}`));
    const summary = h.fake.callsOf('editMessageText').at(-1)?.payload ?? {};
    expect(summary.text).toContain('<b>Summer &lt;sale&gt;</b>');
    expect(summary.text).toContain('Subscribe to: <b>Channel dealsdaily</b>');

    await deliver(h, callbackQuery(CREATOR, 'n:ok'));
    const { rows } = await h.db.pool.query(
      `SELECT g.id, g.title, g.duration, g.winners_count, r.type, r.channel_id, r.name, r.url
       FROM giveaways g JOIN requirements r ON r.giveaway_id = g.id WHERE g.creator_id = $1`,
      [CREATOR],
    );
    expect(rows).toEqual([
      {
        id: expect.any(String),
        title: 'Summer <sale>',
        duration: 7200,
        winners_count: 3,
        type: 'subscription',
        channel_id: String(CHANNEL),
        name: 'Deals <daily>',
        url: 'https://t.me/dealsdaily',
      },
    ]);
    expect(lastTextTo(h, CREATOR)).toContain(`?start=${rows[0].id}`);
    // The conversation is over: its buttons are stale now.
    await deliver(h, callbackQuery(CREATOR, 'n:ok'));
    expect(h.fake.callsOf('answerCallbackQuery').at(-1)?.payload.text).toBe(
      'This setup has expired. Send /new to start again.',
    );
  });

  it('cancels with /cancel', async () => {
    await say(h, '/new');
    expect(await say(h, '/cancel')).toBe('Cancelled. Send /new to start again.');
    expect(await say(h, '/cancel')).toBe('Nothing to cancel.');
  });
});

describe('/new without Redis', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ redis: false });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('keeps the conversation in memory and creates a giveaway without a channel', async () => {
    await say(h, '/new');
    await say(h, 'Memory giveaway');
    await say(h, 'Sticker pack');
    await say(h, '1');
    await say(h, '1d');
    await deliver(h, callbackQuery(CREATOR, 'n:c:0'));
    await deliver(h, callbackQuery(CREATOR, 'n:ok'));
    const { rows } = await h.db.pool.query('SELECT title, duration FROM giveaways WHERE creator_id = $1', [
      CREATOR,
    ]);
    expect(rows).toEqual([{ title: 'Memory giveaway', duration: 86_400 }]);
  });
});
