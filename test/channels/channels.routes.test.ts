// REST shapes of the channel routes: check-bulk (always {results: [...]}), channel info, and the public
// avatar proxy (bytes, cache headers, 304, 404, and the bot token in no response).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_ID } from '../support/fake-telegram.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { PUBLIC_BASE_URL, startHarness, type Harness } from '../bot/support.ts';
import { administerChannel } from '../support/giveaway-fixtures.ts';

let h: Harness;
const ADMIN_CHANNEL = -1003330000001;
const MEMBER_CHANNEL = -1003330000002;
const BARE_CHANNEL = -1003330000003;
const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);
const responses: string[] = [];

/** Fetches and remembers every byte and header that reached the client, to look for the token later. */
async function call(path: string, init: RequestInit & { json?: unknown } = {}) {
  const res = path.startsWith('/api/public')
    ? await fetch(`${h.url}${path}`, init)
    : await asUser(h.url, { id: 1300 })(path, init);
  const body = Buffer.from(await res.arrayBuffer());
  responses.push(JSON.stringify([...res.headers.entries()]), body.toString('latin1'));
  return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString()) };
}

const bulk = (json: unknown) => call('/api/v1/requirements/channels/check-bulk', { method: 'POST', json });

beforeAll(async () => {
  h = await startHarness({ redis: true });
  h.fake.addChat({
    id: ADMIN_CHANNEL,
    type: 'channel',
    title: 'Admin here',
    username: 'adminhere',
    photo: PHOTO,
  });
  h.fake.setMember(ADMIN_CHANNEL, FAKE_BOT_ID, { status: 'administrator', can_manage_chat: true });
  h.fake.addChat({ id: MEMBER_CHANNEL, type: 'supergroup', title: 'Only member' });
  h.fake.setMember(MEMBER_CHANNEL, FAKE_BOT_ID, { status: 'member' });
  h.fake.addChat({ id: BARE_CHANNEL, type: 'channel', title: 'No photo', username: 'nophoto' });
  // The avatar proxy serves only chats the database records.
  await administerChannel(h.db.pool, 1300, ADMIN_CHANNEL, 'adminhere');
  await administerChannel(h.db.pool, 1300, BARE_CHANNEL, 'nophoto');
});
afterAll(async () => {
  await h?.stop();
});

describe('POST /requirements/channels/check-bulk', () => {
  it('answers {results: []} for an empty list or an empty body', async () => {
    expect((await bulk({ channel_ids: [] })).json()).toEqual({ results: [] });
    expect((await bulk({})).json()).toEqual({ results: [] });
    const bare = await call('/api/v1/requirements/channels/check-bulk', { method: 'POST' });
    expect(bare.status).toBe(200);
    expect(bare.json()).toEqual({ results: [] });
  });

  it('reports per channel whether the bot can check members', async () => {
    const res = await bulk({ channel_ids: [String(ADMIN_CHANNEL), String(MEMBER_CHANNEL), '-100999', ''] });
    expect(res.status).toBe(200);
    const { results } = res.json();
    expect(results[0]).toEqual({
      username: 'adminhere',
      ok: true,
      channel: {
        id: ADMIN_CHANNEL,
        type: 'channel',
        title: 'Admin here',
        username: 'adminhere',
        avatar_url: `${PUBLIC_BASE_URL}/api/public/channels/${ADMIN_CHANNEL}/avatar`,
        url: 'https://t.me/adminhere',
      },
      bot_status: { status: 'administrator', can_check_members: true },
    });
    expect(results[1]).toMatchObject({
      ok: false,
      error: expect.stringContaining('administrator'),
      bot_status: { status: 'member', can_check_members: false },
    });
    expect(results[2]).toMatchObject({
      ok: false,
      error: expect.any(String),
      bot_status: { can_check_members: false },
    });
    expect(results[3]).toMatchObject({ ok: false, error: 'The channel id is missing' });
  });

  it('accepts usernames and refuses oversized lists', async () => {
    const { results } = (await bulk({ usernames: ['@adminhere'] })).json();
    expect(results).toMatchObject([{ username: 'adminhere', ok: true }]);
    const tooMany = await bulk({ channel_ids: Array.from({ length: 21 }, (_, i) => String(-100 - i)) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json()).toMatchObject({ code: 'VALIDATION', error: expect.any(String) });
  });
});

describe('GET /channels/:username/info', () => {
  it('describes a public channel, from cache the second time', async () => {
    const res = await call('/api/v1/channels/adminhere/info');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      id: ADMIN_CHANNEL,
      type: 'channel',
      title: 'Admin here',
      username: 'adminhere',
      avatar_url: `${PUBLIC_BASE_URL}/api/public/channels/${ADMIN_CHANNEL}/avatar`,
      channel_url: 'https://t.me/adminhere',
      url: 'https://t.me/adminhere',
    });
    const before = h.fake.callsOf('getChat').length;
    expect((await call('/api/v1/channels/@adminhere/info')).status).toBe(200);
    expect(h.fake.callsOf('getChat').length).toBe(before);
    expect((await call('/api/v1/channels/nosuchchannel/info')).status).toBe(404);
    expect((await call('/api/v1/channels/a!/info')).status).toBe(400);
  });
});

describe('GET /api/public/channels/:chat/avatar', () => {
  it('streams the photo with cache headers, without asking Telegram for the path again', async () => {
    const downloads = () => h.fake.fileRequests.length - downloadsBefore;
    const downloadsBefore = h.fake.fileRequests.length;
    const first = await call(`/api/public/channels/${ADMIN_CHANNEL}/avatar`);
    expect(first.status).toBe(200);
    expect(first.body.equals(PHOTO)).toBe(true);
    expect(first.headers.get('content-type')).toBe('image/jpeg');
    expect(first.headers.get('cache-control')).toBe('public, max-age=86400');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);

    const getFiles = h.fake.callsOf('getFile').length;
    const second = await call('/api/public/channels/adminhere/avatar');
    expect(second.body.equals(PHOTO)).toBe(true);
    expect(h.fake.callsOf('getFile').length).toBe(getFiles);
    expect(downloads()).toBe(2);

    const notModified = await call(`/api/public/channels/${ADMIN_CHANNEL}/avatar`, {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(notModified.status).toBe(304);
    expect(downloads()).toBe(2);
  });

  it('answers 404 for a chat without a photo or unknown to the server, 400 for nonsense', async () => {
    expect((await call(`/api/public/channels/${BARE_CHANNEL}/avatar`)).status).toBe(404);
    expect((await call('/api/public/channels/-100424242/avatar')).status).toBe(404);
    expect((await call('/api/public/channels/..%2Fetc/avatar')).status).toBe(400);
  });

  it('never puts the bot token in a response', async () => {
    // Its own calls to every channel route, answered and refused, rather than what earlier tests fetched.
    const from = responses.length;
    await bulk({ channel_ids: [String(ADMIN_CHANNEL), String(MEMBER_CHANNEL), '-100999', ''] });
    await bulk({ usernames: ['@adminhere'] });
    await bulk({ channel_ids: Array.from({ length: 21 }, (_, i) => String(-100 - i)) });
    await call('/api/v1/channels/adminhere/info');
    await call('/api/v1/channels/nosuchchannel/info');
    await call('/api/v1/channels/a!/info');
    const avatar = await call(`/api/public/channels/${ADMIN_CHANNEL}/avatar`);
    await call(`/api/public/channels/${ADMIN_CHANNEL}/avatar`, {
      headers: { 'if-none-match': avatar.headers.get('etag') ?? '' },
    });
    await call(`/api/public/channels/${BARE_CHANNEL}/avatar`);
    await call('/api/public/channels/-100424242/avatar');
    await call('/api/public/channels/..%2Fetc/avatar');
    const mine = responses.slice(from);
    expect(mine.length).toBeGreaterThan(10);
    const secret = TEST_BOT_TOKEN.split(':')[1] ?? TEST_BOT_TOKEN;
    for (const text of mine) expect(text).not.toContain(secret);
  });
});
