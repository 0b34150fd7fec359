// Reruns change nothing, a changed source updates only what changed, a dry run writes nothing but counts
// what a real run would, and giveaways this server has taken over are left alone.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { ENTITIES } from '../../server/legacy-import/import-report.ts';
import type { ImportReportJson } from '../../server/legacy-import/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { importFrom, snapshot, startLegacyRedis, type LegacyRedis } from './harness.ts';
import { G, writeLegacyFixture } from './legacy-fixture.ts';

let db: TestDatabase;
let redis: LegacyRedis;
let first: ImportReportJson;

// Given, for every test: the fixture in a clean legacy Redis, imported once into a fresh database. Tests
// change the source or the target, so none shares either with another.
beforeAll(async () => {
  redis = await startLegacyRedis();
});
beforeEach(async () => {
  await redis.client.flushall();
  [db] = await Promise.all([createTestDatabase(), writeLegacyFixture(redis.client)]);
  first = await importFrom(redis.url, db.pool);
});
afterEach(async () => {
  await db?.drop();
});
afterAll(async () => {
  await redis?.stop();
});

const zero = Object.fromEntries(ENTITIES.map((e) => [e, 0]));
const versions = async () =>
  new Map(
    (await db.pool.query('SELECT id, version FROM giveaways')).rows.map((r) => [r.id, Number(r.version)]),
  );

it('changes nothing on a second run, and its report says so', async () => {
  const before = await snapshot(db.pool, true);
  const second = await importFrom(redis.url, db.pool);
  expect(second.imported).toEqual(zero);
  expect(second.updated).toEqual(zero);
  expect(second.skipped.by_reason).toEqual(first.skipped.by_reason);
  expect(await snapshot(db.pool, true)).toEqual(before);
});

it('counts in a dry run what a real run imports, and leaves the target empty', async () => {
  const dry = await createTestDatabase();
  try {
    const report = await importFrom(redis.url, dry.pool, { dryRun: true });
    expect(report.dry_run).toBe(true);
    expect(report.imported).toEqual(first.imported);
    const counts = await dry.pool.query(
      'SELECT (SELECT count(*) FROM users)::int + (SELECT count(*) FROM giveaways)::int + (SELECT count(*) FROM channels)::int AS n',
    );
    expect(counts.rows[0].n).toBe(0);
  } finally {
    await dry.drop();
  }
});

it('updates only what changed in the source, bumping that giveaway once', async () => {
  const before = await versions();
  const json = JSON.parse((await redis.client.get(`giveaway:${G.completed}`)) ?? '{}');
  await redis.client.set(`giveaway:${G.completed}`, JSON.stringify({ ...json, title: 'Renamed in Redis' }));
  const report = await importFrom(redis.url, db.pool);
  expect(report.imported).toEqual(zero);
  expect(report.updated).toEqual({ ...zero, giveaways: 1 });
  const after = await versions();
  for (const [id, v] of before) expect(after.get(id)).toBe(id === G.completed ? v + 1 : v);
});

it('adds new participants and corrects the count on the next run', async () => {
  await redis.client.sadd(`giveaway:${G.active}:participants`, '1003');
  const report = await importFrom(redis.url, db.pool);
  expect(report.imported).toEqual({ ...zero, participants: 1 });
  expect(report.updated).toEqual({ ...zero, giveaways: 1 });
  const { rows } = await db.pool.query('SELECT participants_count FROM giveaways WHERE id = $1', [G.active]);
  expect(rows[0].participants_count).toBe(4);
});

it('leaves alone a giveaway this server has closed since, and says why', async () => {
  await db.pool.query(`UPDATE giveaways SET closed_at = now() WHERE id = $1`, [G.expired]);
  await db.pool.query(`INSERT INTO draw_runs (giveaway_id, kind) VALUES ($1, 'close')`, [G.expired]);
  const json = JSON.parse((await redis.client.get(`giveaway:${G.expired}`)) ?? '{}');
  await redis.client.set(`giveaway:${G.expired}`, JSON.stringify({ ...json, title: 'Stale legacy title' }));
  const report = await importFrom(redis.url, db.pool);
  expect(report.skipped.items).toContainEqual({
    key: `giveaway:${G.expired}`,
    reason: 'taken_over_by_new_server',
    detail: 'now active',
  });
  expect(report.updated).toEqual(zero);
  const { rows } = await db.pool.query('SELECT title FROM giveaways WHERE id = $1', [G.expired]);
  expect(rows[0].title).toBe('Summer giveaway');
});
