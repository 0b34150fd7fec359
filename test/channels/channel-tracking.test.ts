// Channel tracking from my_chat_member: the chat and its human administrators are recorded, the creator
// sees them in GET /users/me/channels (newest last); when the bot is removed, live requirements on the
// channel become uncheckable and the creator is told by a durable DM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../server/auth/index.ts';
import { asUser } from '../support/telegram-user.ts';
import { FAKE_BOT_ID } from '../support/fake-telegram.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { botMembership, deliver, PUBLIC_BASE_URL, startHarness, type Harness } from '../bot/support.ts';

let h: Harness;

/**
 * Each test's own owner, co-admin, stranger and two channels (Telegram knows them, the bot has not been added
 * yet), so no test leans on channels or users another test recorded.
 */
let worlds = 0;
async function newWorld() {
  const n = ++worlds;
  const base = 1100 + n * 10;
  const world = {
    OWNER: base,
    CO_ADMIN: base + 1,
    STRANGER: base + 2,
    FIRST: { id: -1005550000000 - n * 10 - 1, title: 'First channel', username: `first_chan${n}` },
    SECOND: { id: -1005550000000 - n * 10 - 2, title: 'Second channel', username: `second_chan${n}` },
  };
  await h.db.pool.query(`INSERT INTO users (id) VALUES ($1), ($2), ($3)`, [
    world.OWNER,
    world.CO_ADMIN,
    world.STRANGER,
  ]);
  for (const chat of [world.FIRST, world.SECOND]) {
    h.fake.addChat({ ...chat, type: 'channel' });
    h.fake.setAdmins(chat.id, [
      { id: world.OWNER, status: 'creator' },
      { id: world.CO_ADMIN, status: 'administrator' },
      { id: FAKE_BOT_ID, status: 'administrator', is_bot: true },
    ]);
    h.fake.setMember(chat.id, FAKE_BOT_ID, { status: 'administrator', can_manage_chat: true });
  }
  return world;
}

const channelsOf = async (userId: number) => {
  const res = await asUser(h.url, { id: userId })('/api/v1/users/me/channels');
  expect(res.status).toBe(200);
  return (await res.json()) as any;
};

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('channel tracking', () => {
  it('records a channel and its administrators when the bot is added, for GET /users/me/channels', async () => {
    const { OWNER, CO_ADMIN, STRANGER, FIRST } = await newWorld();
    await deliver(h, botMembership(FIRST, OWNER, 'administrator'));

    expect(await channelsOf(OWNER)).toEqual([
      {
        id: FIRST.id,
        title: 'First channel',
        username: FIRST.username,
        type: 'channel',
        avatar_url: `${PUBLIC_BASE_URL}/api/public/channels/${FIRST.id}/avatar`,
        channel_url: `https://t.me/${FIRST.username}`,
        url: `https://t.me/${FIRST.username}`,
      },
    ]);
    // Every human admin may use it; the bot itself is not recorded as one.
    expect((await channelsOf(CO_ADMIN)).map((c: { id: number }) => c.id)).toEqual([FIRST.id]);
    expect(await channelsOf(STRANGER)).toEqual([]);
    const { rows } = await h.db.pool.query(
      'SELECT user_id FROM channel_admins WHERE channel_id = $1 ORDER BY user_id',
      [FIRST.id],
    );
    expect(rows.map((r) => Number(r.user_id))).toEqual([OWNER, CO_ADMIN]);
  });

  it('appends a newly added channel last, as the Mini App expects', async () => {
    const { OWNER, FIRST, SECOND } = await newWorld();
    await deliver(h, botMembership(FIRST, OWNER, 'administrator'));
    await deliver(h, botMembership(SECOND, OWNER, 'administrator'));
    expect((await channelsOf(OWNER)).map((c: { id: number }) => c.id)).toEqual([FIRST.id, SECOND.id]);
    // A repeated update (Telegram redelivers) keeps the order.
    await deliver(h, botMembership(FIRST, OWNER, 'administrator'));
    expect((await channelsOf(OWNER)).map((c: { id: number }) => c.id)).toEqual([FIRST.id, SECOND.id]);
  });

  it('marks requirements uncheckable when the bot is removed, tells the creator, and restores them', async () => {
    const { OWNER, CO_ADMIN, FIRST, SECOND } = await newWorld();
    await deliver(h, botMembership(FIRST, OWNER, 'administrator'));
    await deliver(h, botMembership(SECOND, OWNER, 'administrator'));
    const owner: Principal = { userId: OWNER, isAdmin: false, isBanned: false, via: 'init-data' };
    const view = await h.giveaways.create(
      owner,
      createBody({
        title: 'Needs <first>',
        requirements: [{ type: 'subscription', channel_id: FIRST.id }],
      }),
    );
    await h.startNotificationWorkers();

    await deliver(h, botMembership(FIRST, CO_ADMIN, 'kicked'));

    const checkable = async () =>
      (await h.db.pool.query('SELECT checkable FROM requirements WHERE giveaway_id = $1', [view.id])).rows[0]
        ?.checkable;
    expect(await checkable()).toBe(false);
    expect((await channelsOf(OWNER)).map((c: { id: number }) => c.id)).toEqual([SECOND.id]);
    await h.fake.waitFor(() => h.fake.callsOf('sendMessage').some((c) => c.payload.chat_id === OWNER));
    const dm = h.fake.callsOf('sendMessage').find((c) => c.payload.chat_id === OWNER)?.payload ?? {};
    expect(dm.text).toContain(`The bot was removed from @${FIRST.username}`);
    expect(dm.text).toContain('«<b>Needs &lt;first&gt;</b>»');

    await deliver(h, botMembership(FIRST, OWNER, 'administrator'));
    expect(await checkable()).toBe(true);
  });

  it('records when a user blocks and unblocks the bot in private', async () => {
    const { STRANGER } = await newWorld();
    const privateChat = { id: STRANGER, title: '', type: 'private' };
    await deliver(h, botMembership(privateChat, STRANGER, 'kicked'));
    const blocked = await h.db.pool.query('SELECT bot_blocked_at FROM users WHERE id = $1', [STRANGER]);
    expect(blocked.rows[0]?.bot_blocked_at).toBeInstanceOf(Date);
    await deliver(h, botMembership(privateChat, STRANGER, 'member'));
    const unblocked = await h.db.pool.query('SELECT bot_blocked_at FROM users WHERE id = $1', [STRANGER]);
    expect(unblocked.rows[0]?.bot_blocked_at).toBeNull();
  });
});
