// The subscription and boost checkers against the fake Bot API: pass, fail, and unknown on every kind of
// Telegram error (never a pass); the boost set fed by updates; the requirement cache in front of them; and
// the create-time checks of channel requirements (creator must administer it, the bot must be admin).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoredRequirement } from '../../server/requirements/index.ts';
import { createBody, administerChannel } from '../support/giveaway-fixtures.ts';
import { CHAT_NOT_FOUND, FAKE_BOT_ID, tooManyRequests, tgError } from '../support/fake-telegram.ts';
import { asUser } from '../support/telegram-user.ts';
import { deliver, PUBLIC_BASE_URL, startHarness, type Harness } from '../bot/support.ts';

let h: Harness;
const CHANNEL = -1007770000001;
const CREATOR = 1200;
const subject = (userId: number) => ({ userId, isPremium: false, walletAddress: null });

function stored(type: 'subscription' | 'boost', extra: Partial<StoredRequirement> = {}): StoredRequirement {
  return {
    id: Math.floor(Math.random() * 1e9),
    giveaway_id: '00000000-0000-4000-8000-000000000001',
    position: 0,
    type,
    channel_id: CHANNEL,
    channel_username: 'checked',
    name: 'Checked',
    description: null,
    avatar_url: null,
    url: null,
    ton_min_balance_nano: null,
    jetton_address: null,
    jetton_min_amount: null,
    account_age_min_year: null,
    account_age_max_year: null,
    checkable: true,
    created_at: new Date().toISOString(),
    ...extra,
  } as StoredRequirement;
}

/** Evaluates one requirement through the RequirementsService, without its cache. */
async function check(type: 'subscription' | 'boost', userId: number, extra: Partial<StoredRequirement> = {}) {
  const evaluation = await h.requirements.evaluateRows([stored(type, extra)], subject(userId), {
    useCache: false,
  });
  return evaluation.results[0]?.result;
}

/** A channel Telegram knows, where the bot is an administrator. */
function seedChannel(id: number, title: string, username: string) {
  h.fake.addChat({ id, type: 'channel', title, username });
  h.fake.setMember(id, FAKE_BOT_ID, { status: 'administrator', can_manage_chat: true });
}

beforeAll(async () => {
  h = await startHarness({ redis: true });
});
// Members, admins, boosts and scripted errors set by one test do not reach the next.
beforeEach(() => {
  h.fake.reset();
  seedChannel(CHANNEL, 'Checked', 'checked');
});
afterAll(async () => {
  await h?.stop();
});

describe('subscription checker', () => {
  it('passes members, creators and admins, and restricted users only while is_member', async () => {
    h.fake.setMember(CHANNEL, 1, { status: 'member' });
    h.fake.setMember(CHANNEL, 2, { status: 'creator', is_anonymous: false });
    h.fake.setMember(CHANNEL, 3, { status: 'restricted', is_member: true });
    h.fake.setMember(CHANNEL, 4, { status: 'restricted', is_member: false });
    h.fake.setMember(CHANNEL, 5, { status: 'kicked', until_date: 0 });
    expect((await check('subscription', 1))?.status).toBe('passed');
    expect((await check('subscription', 2))?.status).toBe('passed');
    expect((await check('subscription', 3))?.status).toBe('passed');
    expect(await check('subscription', 4)).toMatchObject({ status: 'failed', code: 'not_subscribed' });
    expect(await check('subscription', 5)).toMatchObject({ status: 'failed', code: 'not_subscribed' });
    expect(await check('subscription', 6)).toEqual({
      status: 'failed',
      code: 'not_subscribed',
      reason: 'Subscribe to @checked to take part',
      link: 'https://t.me/checked',
    });
  });

  it('answers unknown, never passed, when Telegram errors', async () => {
    // One user per error: the client caches a definite refusal per (chat, user) for the negative TTL.
    for (const id of [7, 71, 72, 73, 74]) h.fake.setMember(CHANNEL, id, { status: 'member' });
    h.fake.failNext('getChatMember', CHAT_NOT_FOUND);
    expect(await check('subscription', 7)).toMatchObject({ status: 'unknown', code: 'channel_unavailable' });
    h.fake.failNext('getChatMember', tgError(403, 'Forbidden: bot was kicked from the channel chat'));
    expect(await check('subscription', 71)).toMatchObject({ status: 'unknown', code: 'channel_unavailable' });
    h.fake.failNext('getChatMember', tgError(500, 'Internal Server Error'), 3);
    expect(await check('subscription', 72)).toMatchObject({ status: 'unknown', code: 'check_failed' });
    // A short 429 is waited out inside the call.
    h.fake.failNext('getChatMember', tooManyRequests(1));
    expect((await check('subscription', 73))?.status).toBe('passed');
    // Longer than the in-call retry allows (2 s in tests): reported, not waited out.
    h.fake.failNext('getChatMember', tooManyRequests(3));
    expect(await check('subscription', 74)).toMatchObject({
      status: 'unknown',
      code: 'telegram_rate_limited',
    });
    // The governor holds the next call until the pause ends; then the check goes through.
    await expect
      .poll(async () => (await check('subscription', 74))?.status, { timeout: 10_000, interval: 200 })
      .toBe('passed');
  });

  it('is asked once per user while its answer is cached', async () => {
    h.fake.setMember(CHANNEL, 8, { status: 'member' });
    const requirement = stored('subscription');
    const before = h.fake.callsOf('getChatMember').length;
    await h.requirements.evaluateRows([requirement], subject(8));
    await h.requirements.evaluateRows([requirement], subject(8));
    expect(h.fake.callsOf('getChatMember').length - before).toBe(1);
  });
});

describe('boost checker', () => {
  it('passes a booster found by getUserChatBoosts and remembers the boost', async () => {
    h.fake.setBoosts(CHANNEL, 20, 2);
    expect(await check('boost', 20)).toMatchObject({ status: 'passed', link: 'https://t.me/boost/checked' });
    const before = h.fake.callsOf('getUserChatBoosts').length;
    expect((await check('boost', 20))?.status).toBe('passed');
    expect(h.fake.callsOf('getUserChatBoosts').length).toBe(before);
  });

  it('fails a user without boosts, with the boost link', async () => {
    expect(await check('boost', 21)).toEqual({
      status: 'failed',
      code: 'not_boosted',
      reason: 'Boost @checked to take part',
      link: 'https://t.me/boost/checked',
    });
  });

  it('uses the boost set fed by chat_boost updates, and forgets removed boosts', async () => {
    const expiry = Math.floor(Date.now() / 1000) + 3600;
    const source = { source: 'premium', user: { id: 22, is_bot: false, first_name: 'B' } };
    const chat = { id: CHANNEL, type: 'channel', title: 'Checked' };
    await deliver(h, {
      chat_boost: { chat, boost: { boost_id: 'x', add_date: 1, expiration_date: expiry, source } },
    });
    const before = h.fake.callsOf('getUserChatBoosts').length;
    expect((await check('boost', 22))?.status).toBe('passed');
    expect(h.fake.callsOf('getUserChatBoosts').length).toBe(before);

    await deliver(h, { removed_chat_boost: { chat, boost_id: 'x', remove_date: 2, source } });
    expect((await check('boost', 22))?.status).toBe('failed');
    expect(h.fake.callsOf('getUserChatBoosts').length).toBe(before + 1);
  });

  it('answers unknown when Telegram errors', async () => {
    h.fake.failNext('getUserChatBoosts', tgError(400, 'Bad Request: not enough rights'));
    expect((await check('boost', 23))?.status).toBe('unknown');
  });
});

describe('channel requirements at create', () => {
  // Each test its own channel: whether the bot was added and who administers it is recorded in the database.
  let channels = 0;
  const newChannel = () => {
    const n = ++channels;
    const channel = { id: CHANNEL - n, username: `checked${n}` };
    seedChannel(channel.id, `Checked ${n}`, channel.username);
    return channel;
  };
  const creator = () => asUser(h.url, { id: CREATOR });
  const create = (requirements: unknown[]) =>
    creator()('/api/v1/giveaways', { method: 'POST', json: createBody({ requirements }) });

  // Each test has its own channel, so they pass in any order.
  it('refuses a channel the bot was never added to', async () => {
    const { id } = newChannel();
    const res = await create([{ type: 'subscription', channel_id: id }]);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'bot_not_in_channel' } });
  });

  it('refuses a channel the creator does not administer, even after asking Telegram again', async () => {
    const { id, username } = newChannel();
    await administerChannel(h.db.pool, 999, id, username);
    h.fake.setAdmins(id, [{ id: 999, status: 'creator' }]);
    const since = h.fake.since();
    const res = await create([{ type: 'subscription', channel_id: id }]);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'not_channel_admin' } });
    expect(since.callsOf('getChatAdministrators').map((c) => c.payload.chat_id)).toContain(id);
  });

  it('refuses when the bot cannot check members there', async () => {
    const { id, username } = newChannel();
    await administerChannel(h.db.pool, CREATOR, id, username);
    h.fake.setMember(id, FAKE_BOT_ID, { status: 'member' });
    const res = await create([{ type: 'boost', channel_id: id }]);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'bot_not_admin' } });
  });

  it('fills in the channel title, links and avatar', async () => {
    const { id, username } = newChannel();
    await administerChannel(h.db.pool, CREATOR, id, username);
    const res = await create([
      { type: 'subscription', channel_id: id },
      { type: 'boost', channel_username: `@${username}` },
    ]);
    expect(res.status).toBe(201);
    const view = (await res.json()) as any;
    expect(view.requirements).toMatchObject([
      {
        type: 'subscription',
        name: `Subscribe to @${username}`,
        username,
        url: `https://t.me/${username}`,
        avatar_url: `${PUBLIC_BASE_URL}/api/public/channels/${id}/avatar`,
        channel_id: id,
        checkable: true,
      },
      { type: 'boost', name: `Boost @${username}`, url: `https://t.me/boost/${username}`, channel_id: id },
    ]);
  });
});
