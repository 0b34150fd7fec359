// The inventory learns key types from SCAN … TYPE where the server has it (Redis ≥ 6) and must report exactly
// what one TYPE per key reports (Redis < 6): the same kinds counted, the same keys of an unexpected type or
// an unknown shape, the same ignored keys, whatever type each key has.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImportReport } from '../../server/legacy-import/import-report.ts';
import { buildInventory, type KeySource } from '../../server/legacy-import/key-inventory.ts';
import { LegacySource } from '../../server/legacy-import/legacy-source.ts';
import { skippedByKey, startLegacyRedis, type LegacyRedis } from './harness.ts';

let redis: LegacyRedis;
let source: LegacySource;

const GID = '20000000-0000-4000-8000-000000000001';
const GID2 = '20000000-0000-4000-8000-000000000002';
/** Keys of the types the importer never reads: the only ones a typed scan still needs TYPE for. */
const OTHER_TYPES = [
  'user:900001',
  'user:900002',
  'user:900003',
  `giveaway:${GID2}:participants`,
  `giveaway:${GID2}:tickets`,
  'giveaways:history',
  'bot:events',
  'bot:session',
  'some:list',
  'some:zset',
  'some:stream',
];

beforeAll(async () => {
  redis = await startLegacyRedis();
  source = new LegacySource(redis.url);
  await source.connect();
  const p = redis.client.pipeline();
  // Enough keys for several SCAN pages.
  for (let i = 0; i < 2500; i++) p.set(`user:${100_000 + i}`, `{"id":${100_000 + i}}`);
  p.sadd(`user:100000:channels`, '-1001');
  // Known names of the wrong type, one per type.
  p.rpush('user:900001', 'a');
  p.zadd('user:900002', 1, 'a');
  p.xadd('user:900003', '*', 'f', 'v');
  p.hset('user:900004', 'id', '900004');
  p.sadd('user:900005', 'a');
  p.set(`giveaway:${GID}`, '{}');
  p.sadd(`giveaway:${GID}:participants`, '100000', '100001');
  p.hset(`giveaway:${GID}:tickets`, '100000', '2');
  p.set(`giveaway:participants_count:${GID}`, '2');
  p.rpush(`giveaway:${GID2}:participants`, '100000');
  p.zadd(`giveaway:${GID2}:tickets`, 1, '100000');
  p.sadd('giveaways:active', GID);
  p.rpush('giveaways:history', GID2);
  p.set('channel:-1001:title', 'Channel');
  p.hset('channel:-1002:title', 'f', 'v');
  // Ignored by name, of several types.
  p.xadd('bot:events', '*', 'f', 'v');
  p.rpush('bot:session', 'x');
  p.sadd('channel:-1001:boost_users', '100000');
  p.set(`lock:giveaway:${GID}`, 'locked', 'EX', 300);
  p.hset('boost:abc', 'channel_id', '-1001');
  // Unknown names, one per type.
  p.set('some:string', 'x');
  p.rpush('some:list', 'x');
  p.sadd('some:set', 'x');
  p.zadd('some:zset', 1, 'x');
  p.hset('some:hash', 'f', 'v');
  p.xadd('some:stream', '*', 'f', 'v');
  await p.exec();
});
afterAll(async () => {
  await source?.close();
  await redis?.stop();
});

/** The inventory and the report's scan-phase parts; skipped items sorted, since SCAN order is arbitrary. */
async function inventoryOf(from: KeySource) {
  const report = new ImportReport('test', { dry_run: true, batch: 1, writers: 1, disable_triggers: false });
  const inventory = await buildInventory(from, report, { scanned: () => undefined, user: () => undefined });
  const json = report.toJSON();
  return { inventory, keys: json.keys, ignored: json.ignored_keys, skipped: skippedByKey(json.skipped) };
}

/**
 * The source, recording the keys it is asked the TYPE of and its untyped SCAN calls; `redis5` refuses
 * SCAN … TYPE as Redis 5 does.
 */
function recording(
  redis5: boolean,
  over: LegacySource = source,
): { from: KeySource; typed: string[]; untypedScans: number } {
  const typed: string[] = [];
  const calls = { untypedScans: 0 };
  const from: KeySource = {
    scan: (cursor, count) => {
      calls.untypedScans++;
      return over.scan(cursor, count);
    },
    scanOfType: (cursor, count, type) =>
      redis5 ? Promise.resolve(null) : over.scanOfType(cursor, count, type),
    types: (keys) => {
      typed.push(...keys);
      return over.types(keys);
    },
    scards: (keys) => over.scards(keys),
    dbsize: () => over.dbsize(),
  };
  return {
    from,
    typed,
    get untypedScans() {
      return calls.untypedScans;
    },
  };
}

it('reports every key as one TYPE per key does, asking TYPE only about types it never reads', async () => {
  const withTypeOption = recording(false);
  const perKey = recording(true);
  const fast = await inventoryOf(withTypeOption.from);
  const reference = await inventoryOf(perKey.from);

  expect(fast).toEqual(reference);
  expect(withTypeOption.typed.sort()).toEqual([...OTHER_TYPES].sort());
  expect(perKey.typed.length).toBeGreaterThan(2500);
});

it('skips the walk for other types when the typed scans found every key DBSIZE counts', async () => {
  const plain = await startLegacyRedis();
  const over = new LegacySource(plain.url);
  try {
    await over.connect();
    await plain.client.set('user:1', JSON.stringify({ first_name: 'A' }));
    await plain.client.sadd(`giveaway:${GID}:participants`, '1');
    await plain.client.hset(`giveaway:${GID}`, 'id', GID);
    const fast = recording(false, over);
    const perKey = recording(true, over);
    expect(await inventoryOf(fast.from)).toEqual(await inventoryOf(perKey.from));
    expect(fast.untypedScans).toBe(0);
    expect(fast.typed).toEqual([]);
    // One key of another type: the walk runs again and reports it.
    await plain.client.rpush('some:list', 'x');
    const again = recording(false, over);
    const { skipped } = await inventoryOf(again.from);
    expect(again.untypedScans).toBeGreaterThan(0);
    expect(skipped.items).toContainEqual({ key: 'some:list', reason: 'unknown_key', detail: 'type list' });
  } finally {
    await over.close();
    await plain.stop();
  }
});

it('reports known names of the wrong type and unknown names with the type found', async () => {
  const { skipped, ignored, inventory, keys } = await inventoryOf(source);
  const detail = (key: string) => skipped.items.find((i) => i.key === key)?.detail;
  expect(detail('user:900001')).toBe('expected string, found list');
  expect(detail('user:900002')).toBe('expected string, found zset');
  expect(detail('user:900003')).toBe('expected string, found stream');
  expect(detail('user:900004')).toBe('expected string, found hash');
  expect(detail('user:900005')).toBe('expected string, found set');
  expect(detail(`giveaway:${GID2}:participants`)).toBe('expected set, found list');
  expect(detail('channel:-1002:title')).toBe('expected string, found hash');
  for (const type of ['string', 'list', 'set', 'zset', 'hash', 'stream']) {
    expect(skipped.items).toContainEqual({
      key: `some:${type}`,
      reason: 'unknown_key',
      detail: `type ${type}`,
    });
  }
  expect(skipped.by_reason).toEqual({ unexpected_type: 9, unknown_key: 6 });
  expect(ignored).toEqual({
    'bot boost record': 1,
    'bot boost set (re-read from Telegram)': 1,
    'bot session / events': 2,
    'lock (ephemeral)': 1,
  });
  expect(inventory.users.size).toBe(2500);
  expect(inventory.giveaways.get(GID)).toMatchObject({
    main: true,
    participants: 2,
    tickets: true,
    counter: true,
  });
  // Only keys of the wrong type: nothing of it is filed.
  expect(inventory.giveaways.has(GID2)).toBe(false);
  expect(keys.scanned).toBe(2500 + 1 + 5 + 4 + 2 + 2 + 2 + 6);
});
