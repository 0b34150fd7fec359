// --disable-triggers (participants without per-row foreign-key checks) writes exactly what the checked path
// writes, and is refused where it would skip more than those checks.
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { importFrom, snapshot, twoTargetsOneSource, type LegacyRedis } from './harness.ts';

let checked: TestDatabase;
let unchecked: TestDatabase;
let redis: LegacyRedis;

let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({
    a: checked,
    b: unchecked,
    redis,
    stop,
  } = await twoTargetsOneSource({ giveaways: 4, participants: 500 }));
});
afterAll(async () => {
  await stop?.();
});

it('imports the same rows with the foreign-key checks off', async () => {
  const a = await importFrom(redis.url, checked.pool, { batch: 300 });
  const b = await importFrom(redis.url, unchecked.pool, { batch: 300, disableTriggers: true });
  expect(b.settings.disable_triggers).toBe(true);
  expect(b.imported).toEqual(a.imported);
  expect(await snapshot(unchecked.pool, false)).toEqual(await snapshot(checked.pool, false));
  // Every participant still has its giveaway and user.
  const { rows } = await unchecked.pool.query(
    `SELECT count(*)::int AS n FROM participants p
     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id)
        OR NOT EXISTS (SELECT 1 FROM giveaways g WHERE g.id = p.giveaway_id)`,
  );
  expect(rows[0].n).toBe(0);
});

it('refuses when participants has a trigger of its own, which must not be skipped', async () => {
  // Its own database: the trigger added here must not reach the comparison above.
  const withTrigger = await createTestDatabase();
  onTestFinished(() => withTrigger.drop());
  await withTrigger.pool.query(`
    CREATE FUNCTION noop_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
    CREATE TRIGGER participants_noop BEFORE INSERT ON participants FOR EACH ROW EXECUTE FUNCTION noop_trigger();`);
  await expect(importFrom(redis.url, withTrigger.pool, { disableTriggers: true })).rejects.toThrow(
    /--disable-triggers is not possible: participants has triggers of its own \(participants_noop\)/,
  );
});
