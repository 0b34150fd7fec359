// Telegram traffic is bounded and cached: outsiders cannot turn the public avatar proxy or check-bulk into a
// stream of Bot API calls (which would trip Telegram's flood limits and leave every join "unknown"). Two
// server nodes share one Redis and one fake Bot API, which counts every call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_ID, tooManyRequests, type FakeCall } from '../support/fake-telegram.ts';
import { administerChannel } from '../support/giveaway-fixtures.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { PUBLIC_BASE_URL, startHarness, type Harness } from '../bot/support.ts';

let h: Harness;
let nodeB: TestApp;
const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7, 0xff, 0xd9]);
const CREATOR = 4100;
// A few channels per test, so the tests share no cache entry and pass in any order.
const AVATAR_CHANNEL = -1004100000001;
const SPONSOR_CHANNEL = -1004100000002;
const BULK_ADMIN = -1004100000011;
const BULK_MEMBER = -1004100000012;
const BULK_MISSING = -1004100000013;
const SHARED = -1004100000021;
const PAUSED_A = -1004100000031;
const PAUSED_B = -1004100000032;
const BOOSTED = -1004100000041;

const env = {
  RATE_LIMIT: 'on',
  RATE_LIMIT_PROBE_PER_USER: '5/60',
  RATE_LIMIT_PROBE_PER_IP: '100000/60',
  TELEGRAM_CACHE_BOOSTS_TTL: '1s',
};

interface BulkAnswer {
  results: Array<{ ok: boolean }>;
}

let nextUser = 50_000;
const bulk = (url: string, body: unknown, userId = nextUser++) =>
  asUser(url, { id: userId })('/api/v1/requirements/channels/check-bulk', { method: 'POST', json: body });

const callsFor = (method: string, chat: number) =>
  h.fake.callsOf(method).filter((c) => Number(c.payload.chat_id) === chat);

beforeAll(async () => {
  const keyPrefix = testKeyPrefix();
  h = await startHarness({ redis: true, env: { ...env, REDIS_KEY_PREFIX: keyPrefix } });
  nodeB = await startTestApp(
    {
      ROLES: 'api',
      DATABASE_URL: h.db.url,
      DB_AUTO_MIGRATE: 'false',
      BOT_TOKEN: TEST_BOT_TOKEN,
      BOT_API_ROOT: h.fake.apiRoot,
      PUBLIC_BASE_URL,
      DEBUG: 'true',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: keyPrefix,
      ...env,
    },
    {
      jobs: { poolMax: 2, retry: { limit: 3, delaySec: 0, backoff: false } },
      tuning: {
        telegram: {
          throttle: { globalPerSec: 1000, privatePerSec: 100, groupPerMin: 6000 },
          retry: { maxRetryAfterSec: 2, baseDelayMs: 10 },
          // Reads the flood pause another node wrote on every call, so the test needs no wait.
          floodPauseRefreshMs: 0,
        },
      },
    },
  );
  const usernames = new Map([
    [AVATAR_CHANNEL, 'avatarchan'],
    [SPONSOR_CHANNEL, 'sponsorchan'],
  ]);
  for (const id of [AVATAR_CHANNEL, SPONSOR_CHANNEL, BULK_ADMIN, SHARED, PAUSED_A, PAUSED_B, BOOSTED]) {
    const username = usernames.get(id);
    h.fake.addChat({
      id,
      type: 'channel',
      title: `Channel ${id}`,
      photo: PHOTO,
      ...(username ? { username } : {}),
    });
    h.fake.setMember(id, FAKE_BOT_ID, { status: 'administrator', can_manage_chat: true });
  }
  h.fake.addChat({ id: BULK_MEMBER, type: 'supergroup', title: 'Bot is a member' });
  h.fake.setMember(BULK_MEMBER, FAKE_BOT_ID, { status: 'member' });
  await administerChannel(h.db.pool, CREATOR, AVATAR_CHANNEL, 'avatarchan');
  await h.db.pool.query(`INSERT INTO sponsors (id, username, title) VALUES ($1, 'sponsorchan', 'Sponsor')`, [
    SPONSOR_CHANNEL,
  ]);
});
afterAll(async () => {
  await nodeB?.stop();
  await h?.stop();
});

describe('the public avatar proxy', () => {
  it('answers 1,000 requests for random chats with 404 and no Bot API call', async () => {
    const callsBefore = h.fake.calls.length;
    const downloadsBefore = h.fake.fileRequests.length;
    const random = Array.from({ length: 1000 }, (_, i) =>
      i % 4 === 0
        ? `rnd_${Math.random().toString(36).slice(2, 10)}`
        : String(-1_000_000_000_000 - Math.floor(Math.random() * 1e9)),
    );
    const statuses: number[] = [];
    for (let i = 0; i < random.length; i += 50) {
      const batch = random.slice(i, i + 50).map(async (chat, j) => {
        const base = (i + j) % 2 === 0 ? h.url : nodeB.url;
        const res = await fetch(`${base}/api/public/channels/${chat}/avatar`);
        await res.arrayBuffer();
        return res.status;
      });
      statuses.push(...(await Promise.all(batch)));
    }
    expect(statuses.filter((s) => s !== 404)).toEqual([]);
    expect(h.fake.calls.length - callsBefore).toBe(0);
    expect(h.fake.fileRequests.length - downloadsBefore).toBe(0);
  });

  it('still serves the chats the database records: channels of the bot and sponsors', async () => {
    for (const chat of [AVATAR_CHANNEL, 'avatarchan', SPONSOR_CHANNEL, '@sponsorchan']) {
      const res = await fetch(`${h.url}/api/public/channels/${encodeURIComponent(String(chat))}/avatar`);
      expect(res.status, String(chat)).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(PHOTO)).toBe(true);
    }
  });
});

describe('check-bulk', () => {
  it('answers 100 identical requests with one set of Bot API calls, refusals cached too', async () => {
    const body = { channel_ids: [BULK_ADMIN, BULK_MEMBER, BULK_MISSING, BULK_ADMIN].map(String) };
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => bulk(i % 2 === 0 ? h.url : nodeB.url, body)),
    );
    const answers = await Promise.all(responses.map(async (r) => (await r.json()) as BulkAnswer));
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]?.results.map((r) => r.ok)).toEqual([true, false, false, true]);
    // One getChat per distinct chat (the missing one included) and one getChatMember per chat found.
    const counts = () => ({
      getChat: [BULK_ADMIN, BULK_MEMBER, BULK_MISSING].map((c) => callsFor('getChat', c).length),
      getChatMember: [BULK_ADMIN, BULK_MEMBER].map((c) => callsFor('getChatMember', c).length),
    });
    // At most one per node: the cross-node lock gives up on a Redis slower than 250 ms (documented in
    // docs/security.md), so on a loaded machine the second node may ask once too; never once per request.
    const first = counts();
    for (const n of [...first.getChat, ...first.getChatMember]) expect(n).toBeGreaterThanOrEqual(1);
    for (const n of [...first.getChat, ...first.getChatMember]) expect(n).toBeLessThanOrEqual(2);
    // Later requests within the TTLs ask nothing.
    await Promise.all(Array.from({ length: 10 }, () => bulk(h.url, body)));
    expect(counts()).toEqual(first);
  });

  it('refuses more than 20 channels per call, ids and usernames together, naming the field', async () => {
    const res = await bulk(h.url, {
      channel_ids: Array.from({ length: 11 }, (_, i) => String(-1004100001000 - i)),
      usernames: Array.from({ length: 10 }, (_, i) => `many_channels_${i}`),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'VALIDATION',
      error: expect.stringContaining('usernames'),
    });
  });

  it('limits each user to RATE_LIMIT_PROBE_PER_USER requests', async () => {
    const user = nextUser++;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await bulk(h.url, { channel_ids: [] }, user)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await bulk(nodeB.url, { channel_ids: [] }, user);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('the shared cache and the governor', () => {
  it('makes one getChat for a chat asked about on two nodes at once', async () => {
    // A slow answer, so both nodes ask while the first call is in flight.
    h.fake.on('getChat', async (payload) => {
      // Not synchronisation: the fake Bot API's deliberately slow answer.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return h.fake.defaultAnswer('getChat', payload);
    });
    try {
      const body = { channel_ids: [String(SHARED)] };
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => bulk(i % 2 === 0 ? h.url : nodeB.url, body)),
      );
      const results = await Promise.all(
        responses.map(async (r) => ((await r.json()) as BulkAnswer).results[0]?.ok),
      );
      expect(results).toEqual(Array.from({ length: 10 }, () => true));
    } finally {
      h.fake.on('getChat', undefined);
    }
    expect(callsFor('getChat', SHARED)).toHaveLength(1);
    expect(callsFor('getChatMember', SHARED)).toHaveLength(1);
  });

  it("honours a 429's retry_after on every node: no call goes out before it has elapsed", async () => {
    h.fake.failNext('getChat', tooManyRequests(2));
    const first = bulk(h.url, { channel_ids: [String(PAUSED_A)] });
    let limited: FakeCall | undefined;
    await h.fake.waitFor(
      () => (limited = callsFor('getChat', PAUSED_A).find((c) => c.answered)) !== undefined,
    );
    expect(limited?.answer).toMatchObject({ ok: false, error_code: 429 });
    // Node A shares the pause through Redis; wait until it is there, then ask node B about another chat.
    const key = `${h.keyPrefix}tg:flood-pause`;
    await expect.poll(() => h.redis?.exists(key)).toBe(1);
    const second = bulk(nodeB.url, { channel_ids: [String(PAUSED_B)] });
    const answers = await Promise.all(
      [first, second].map(async (r) => ((await (await r).json()) as BulkAnswer).results[0]?.ok),
    );
    // Node A's call waited the pause out in its retry; node B's waited for it before asking at all.
    expect(answers).toEqual([true, true]);
    const pauseEnds = (limited?.at ?? 0) + 2000;
    const after = h.fake.calls.slice(h.fake.calls.indexOf(limited as FakeCall) + 1);
    expect(after.length).toBeGreaterThanOrEqual(3);
    for (const call of after) expect(call.at).toBeGreaterThanOrEqual(pauseEnds);
  });

  it('asks again once a cache entry has outlived its TTL', async () => {
    h.fake.setBoosts(BOOSTED, 77, 1);
    const client = h.telegram.client;
    await client.getUserChatBoosts(BOOSTED, 77);
    await client.getUserChatBoosts(BOOSTED, 77);
    expect(callsFor('getUserChatBoosts', BOOSTED)).toHaveLength(1);
    // TELEGRAM_CACHE_BOOSTS_TTL is 1 s here.
    await expect
      .poll(
        async () => {
          await client.getUserChatBoosts(BOOSTED, 77);
          return callsFor('getUserChatBoosts', BOOSTED).length;
        },
        { timeout: 5_000, interval: 100 },
      )
      .toBe(2);
    const [first, second] = callsFor('getUserChatBoosts', BOOSTED);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });
});
