import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as db from 'zapatos/db';
import { z } from 'zod';
import { RequirementItemInput } from '../../schema/contract/index.ts';
import { RequirementsService, type RequirementsServiceOptions } from '../../server/requirements/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startPrivateRedis, testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { FakeChannelChecker } from './support.ts';

let tdb: TestDatabase;
let redis: Redis;
const logger = pino({ level: 'silent' });
const OLD_PREMIUM = 1001; // estimated 2013
const NEW_USER = 8_000_000_000; // estimated 2024

beforeAll(async () => {
  tdb = await createTestDatabase();
  redis = new Redis(testRedisUrl());
  await tdb.pool.query(`INSERT INTO users (id, is_premium) VALUES ($1, true), ($2, false)`, [
    OLD_PREMIUM,
    NEW_USER,
  ]);
});
afterAll(async () => {
  redis?.disconnect();
  await tdb?.drop();
});

function service(extra: Partial<RequirementsServiceOptions> = {}) {
  return new RequirementsService({ pool: tdb.pool, logger, redis, keyPrefix: testKeyPrefix(), ...extra });
}

async function newGiveaway(): Promise<string> {
  const { rows } = await tdb.pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
     VALUES ($1, 'Test', now(), now() + interval '1 day', 86400, 1) RETURNING id`,
    [OLD_PREMIUM],
  );
  return (rows[0] as { id: string }).id;
}

async function giveawayWith(svc: RequirementsService, input: unknown[]): Promise<string> {
  const id = await newGiveaway();
  const rows = svc.normalizeForCreate(z.array(RequirementItemInput).parse(input), { creatorId: OLD_PREMIUM });
  await db.serializable(tdb.pool, (txn) => svc.insertForGiveaway(txn, id, rows));
  return id;
}

describe('storing requirements', () => {
  it('persists every accepted field at positions 0..n-1', async () => {
    const svc = service();
    svc.register(new FakeChannelChecker('subscription'));
    const id = await giveawayWith(svc, [
      { type: 'subscription', channel_id: -1001234567890, channel_username: 'acme' },
      { type: 'custom', name: 'Follow', description: 'Follow us on X' },
      { type: 'account_age', account_age_min_year: 2015, account_age_max_year: 2019 },
      { type: 'premium' },
    ]);
    const stored = (await svc.listForGiveaways(tdb.pool, [id])).get(id) ?? [];
    expect(stored.map((r) => [r.position, r.type])).toEqual([
      [0, 'subscription'],
      [1, 'custom'],
      [2, 'account_age'],
      [3, 'premium'],
    ]);
    expect(stored[0]).toMatchObject({
      channel_id: -1001234567890,
      channel_username: 'acme',
      checkable: true,
    });
    expect(stored[1]).toMatchObject({ name: 'Follow', description: 'Follow us on X' });
    expect(stored[2]).toMatchObject({ account_age_min_year: 2015, account_age_max_year: 2019 });
  });

  it('lists the requirements of many giveaways in one query, with an entry for each id', async () => {
    const svc = service();
    const a = await giveawayWith(svc, [{ type: 'premium' }, { type: 'custom', name: 'A' }]);
    const b = await giveawayWith(svc, [{ type: 'account_age', account_age_max_year: 2020 }]);
    const none = await newGiveaway();
    let queries = 0;
    const counting = {
      query: (...args: unknown[]) => (queries++, (tdb.pool.query as (...a: unknown[]) => unknown)(...args)),
    };
    const map = await svc.listForGiveaways(counting as unknown as db.Queryable, [a, b, none, 'not-a-uuid']);
    expect(queries).toBe(1);
    expect(map.get(a)?.map((r) => r.type)).toEqual(['premium', 'custom']);
    expect(map.get(b)?.map((r) => r.type)).toEqual(['account_age']);
    expect(map.get(none)).toEqual([]);
    expect(map.get('not-a-uuid')).toEqual([]);
    expect(await svc.listForGiveaways(counting as unknown as db.Queryable, [])).toEqual(new Map());
    expect(queries).toBe(1);
  });

  it('deletes a giveaway’s requirements', async () => {
    const svc = service();
    const id = await giveawayWith(svc, [{ type: 'premium' }, { type: 'custom', name: 'A' }]);
    expect(await svc.deleteForGiveaway(tdb.pool, id)).toBe(2);
    expect(await svc.listForGiveaway(tdb.pool, id)).toEqual([]);
  });
});

describe('evaluate', () => {
  it('checks every requirement against the stored user and says whether all are met', async () => {
    const svc = service();
    const id = await giveawayWith(svc, [
      { type: 'premium' },
      { type: 'account_age', account_age_max_year: 2019 },
      { type: 'custom', name: 'Share' },
    ]);
    const old = await svc.evaluate(id, OLD_PREMIUM);
    expect(old).toMatchObject({ allMet: true, unknown: false });
    const fresh = await svc.evaluate(id, NEW_USER);
    expect(fresh.allMet).toBe(false);
    expect(fresh.results.map((r) => r.result.code)).toEqual(['not_premium', 'account_too_new', 'ok']);
    expect((await svc.evaluate(id, NEW_USER, { skipCustom: true })).results).toHaveLength(2);
    expect(await svc.evaluate(await newGiveaway(), NEW_USER)).toEqual({
      results: [],
      allMet: true,
      unknown: false,
    });
  });

  it('caches decided results in Redis for ~30 s: a second evaluation does not call the checker', async () => {
    const prefix = testKeyPrefix();
    const checker = new FakeChannelChecker('subscription');
    const svc = service({ keyPrefix: prefix, checkers: [checker] });
    const id = await giveawayWith(svc, [{ type: 'subscription', channel_username: 'acme' }]);
    expect((await svc.evaluate(id, NEW_USER)).allMet).toBe(true);
    expect((await svc.evaluate(id, NEW_USER)).allMet).toBe(true);
    expect(checker.calls).toBe(1);
    const [req] = await svc.listForGiveaway(tdb.pool, id);
    const ttl = await redis.ttl(`${prefix}req:${req?.id}:${NEW_USER}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
    await svc.evaluate(id, NEW_USER, { useCache: false });
    expect(checker.calls).toBe(2);
  });

  it('never caches unknown, and turns a throwing checker into unknown (not a pass)', async () => {
    const prefix = testKeyPrefix();
    const checker = new FakeChannelChecker('subscription');
    checker.answer = { status: 'unknown', reason: 'Telegram 429', code: 'rate_limited', link: null };
    const svc = service({ keyPrefix: prefix, checkers: [checker] });
    const id = await giveawayWith(svc, [
      { type: 'subscription', channel_username: 'acme' },
      { type: 'premium' },
    ]);
    expect(await svc.evaluate(id, OLD_PREMIUM)).toMatchObject({ allMet: false, unknown: true });
    await svc.evaluate(id, OLD_PREMIUM);
    expect(checker.calls).toBe(2);
    expect(await redis.keys(`${prefix}req:*`)).toHaveLength(1); // only premium's decided result

    checker.answer = new Error('socket hang up');
    const thrown = await svc.evaluate(id, OLD_PREMIUM);
    expect(thrown.results[0]?.result).toMatchObject({ status: 'unknown', code: 'check_failed' });
    expect(thrown.allMet).toBe(false);
  });

  it('answers unknown/uncheckable for a requirement the bot lost access to, and no_checker without a checker', async () => {
    const checker = new FakeChannelChecker('subscription');
    const svc = service({ checkers: [checker] });
    const id = await giveawayWith(svc, [{ type: 'subscription', channel_username: 'acme' }]);
    await tdb.pool.query(`UPDATE requirements SET checkable = false WHERE giveaway_id = $1`, [id]);
    const result = await svc.evaluate(id, OLD_PREMIUM);
    expect(result.results[0]?.result).toMatchObject({ status: 'unknown', code: 'uncheckable' });
    expect(checker.calls).toBe(0);

    await tdb.pool.query(`UPDATE requirements SET checkable = true WHERE giveaway_id = $1`, [id]);
    const withoutBot = await service().evaluate(id, OLD_PREMIUM);
    expect(withoutBot.results[0]?.result).toMatchObject({ status: 'unknown', code: 'no_checker' });
  });

  it('still evaluates when Redis is down', async () => {
    const own = await startPrivateRedis();
    const client = new Redis(own.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    let stopped = false;
    try {
      await client.ping();
      const checker = new FakeChannelChecker('subscription');
      const svc = service({ redis: client, checkers: [checker] });
      const id = await giveawayWith(svc, [{ type: 'subscription', channel_username: 'acme' }]);
      await svc.evaluate(id, OLD_PREMIUM);
      await svc.evaluate(id, OLD_PREMIUM);
      expect(checker.calls).toBe(1);
      await own.stop();
      stopped = true;
      const started = Date.now();
      expect((await svc.evaluate(id, OLD_PREMIUM)).allMet).toBe(true);
      expect(checker.calls).toBe(2);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      client.disconnect();
      if (!stopped) await own.stop();
    }
  });

  it('gives up on a Redis that is connected but does not answer (CLIENT PAUSE), and checks instead', async () => {
    const own = await startPrivateRedis();
    const client = new Redis(own.url);
    const admin = new Redis(own.url);
    for (const c of [client, admin]) c.on('error', () => undefined);
    try {
      await client.ping();
      const checker = new FakeChannelChecker('subscription');
      const svc = service({ redis: client, checkers: [checker] });
      const id = await giveawayWith(svc, [{ type: 'subscription', channel_username: 'acme' }]);
      await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
      const started = Date.now();
      expect((await svc.evaluate(id, OLD_PREMIUM)).allMet).toBe(true);
      expect((await svc.evaluate(id, OLD_PREMIUM)).allMet).toBe(true);
      expect(checker.calls).toBe(2);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      client.disconnect();
      admin.disconnect();
      await own.stop();
    }
  });

  it('evaluateRows checks already-loaded rows for any subject (the draw)', async () => {
    const svc = service();
    const id = await giveawayWith(svc, [{ type: 'premium' }]);
    const rows = await svc.listForGiveaway(tdb.pool, id);
    const yes = await svc.evaluateRows(rows, { userId: 77, isPremium: true, walletAddress: null });
    const no = await svc.evaluateRows(rows, { userId: 78, isPremium: false, walletAddress: null });
    expect([yes.allMet, no.allMet]).toEqual([true, false]);
  });
});

describe('checkView', () => {
  it('answers the Mini App check-requirements shape', async () => {
    const svc = service();
    const id = await giveawayWith(svc, [
      { type: 'premium' },
      { type: 'account_age', account_age_max_year: 2019 },
      { type: 'custom', name: 'Share', description: 'Share the post' },
    ]);
    const view = await svc.checkView(id, NEW_USER);
    expect(view).toEqual({
      giveaway_id: id,
      all_met: false,
      results: [
        expect.objectContaining({
          type: 'premium',
          name: 'Telegram Premium',
          status: 'failed',
          username: '',
        }),
        expect.objectContaining({
          type: 'account_age',
          status: 'failed',
          error: 'Account registered in 2024, must be 2019 or earlier',
          chat_info: expect.objectContaining({ title: 'Account registered in 2019 or earlier' }),
        }),
        expect.objectContaining({
          type: 'custom',
          name: 'Share',
          description: 'Share the post',
          status: 'success',
        }),
      ],
    });
    await expect(svc.checkView('nope', NEW_USER)).resolves.toMatchObject({ results: [], all_met: true });
  });
});
