// The participants insert's set-based foreign-key check: one statement looks up and locks every user and
// giveaway of a batch (as PostgreSQL's per-row triggers would), then the rows go in with those triggers off.
// It imports exactly what the per-row checks import, a missing reference still fails with the usual
// foreign-key error, the references stay locked until the batch commits, and it is used only where it
// covers every foreign key participants has.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  chooseReferenceChecks,
  insertParticipants,
  type ParticipantBatch,
} from '../../server/legacy-import/participants.queries.ts';
import { createTestDatabase, inTransaction, type TestDatabase } from '../support/database.ts';
import { importFrom, skippedByKey, snapshot, twoTargetsOneSource, type LegacyRedis } from './harness.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO users (id) VALUES (1), (2), (3)`);
});
afterAll(() => db?.drop());

async function giveaway(): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
     VALUES (1, 't', now(), now() + interval '1 hour', 3600, 1) RETURNING id`,
  );
  return rows[0]?.id ?? '';
}

function batchOf(giveawayId: string, userIds: number[]): ParticipantBatch {
  return {
    giveawayIds: [giveawayId],
    joinedAt: [new Date().toISOString()],
    giveawayIndex: userIds.map(() => 1),
    userIds,
  };
}

describe('insertParticipants with set-based checks', () => {
  it('inserts a batch whose users and giveaway exist, with the triggers back on afterwards', async () => {
    const id = await giveaway();
    const inserted = await inTransaction(db.pool, async (tx) => {
      const n = await insertParticipants(tx, batchOf(id, [1, 2, 3]), { checks: 'set' });
      const { rows } = await tx.query<{ session_replication_role: string }>(`SHOW session_replication_role`);
      expect(rows[0]?.session_replication_role).toBe('origin');
      return n;
    });
    expect(inserted).toBe(3);
  });

  it('fails a batch with a missing user with the foreign-key error, inserting nothing', async () => {
    const id = await giveaway();
    await expect(
      inTransaction(db.pool, (tx) => insertParticipants(tx, batchOf(id, [1, 999]), { checks: 'set' })),
    ).rejects.toMatchObject({ code: '23503', constraint: 'participants_user_id_fkey' });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM participants WHERE giveaway_id = $1`,
      [id],
    );
    expect(rows[0].n).toBe(0);
  });

  it('fails a batch whose giveaway is gone with the foreign-key error', async () => {
    const id = await giveaway();
    await db.pool.query(`DELETE FROM giveaways WHERE id = $1`, [id]);
    await expect(
      inTransaction(db.pool, (tx) => insertParticipants(tx, batchOf(id, [1]), { checks: 'set' })),
    ).rejects.toMatchObject({ code: '23503', constraint: 'participants_giveaway_id_fkey' });
  });

  it('holds the references until the batch commits: a concurrent delete of its user waits', async () => {
    const id = await giveaway();
    await db.pool.query(`INSERT INTO users (id) VALUES (77)`);
    const tx = await db.pool.connect();
    const other = await db.pool.connect();
    onTestFinished(() => {
      tx.release();
      other.release();
    });
    await tx.query('BEGIN');
    await insertParticipants(tx, batchOf(id, [77]), { checks: 'set' });
    await other.query(`SET lock_timeout = '200ms'`);
    await expect(other.query(`DELETE FROM users WHERE id = 77`)).rejects.toMatchObject({ code: '55P03' });
    await expect(other.query(`DELETE FROM giveaways WHERE id = $1`, [id])).rejects.toMatchObject({
      code: '55P03',
    });
    await tx.query('COMMIT');
  });
});

describe('chooseReferenceChecks', () => {
  it('uses the set check only where it covers every foreign key of participants', async () => {
    const fresh = await createTestDatabase();
    onTestFinished(() => fresh.drop());
    expect(await chooseReferenceChecks(fresh.pool, false)).toBe('set');
    expect(await chooseReferenceChecks(fresh.pool, true)).toBe('off');
    await fresh.pool.query(`ALTER TABLE participants ADD COLUMN referrer bigint REFERENCES users (id)`);
    expect(await chooseReferenceChecks(fresh.pool, false)).toBe('per-row');
  });
});

describe('an import with set-based checks', () => {
  let redis: LegacyRedis;
  let perRow: TestDatabase;
  let set: TestDatabase;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ a: perRow, b: set, redis, stop } = await twoTargetsOneSource({ giveaways: 4, participants: 500 }));
    // A trigger of its own keeps the per-row checks on in this one.
    await perRow.pool.query(`
      CREATE FUNCTION noop_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER participants_noop BEFORE INSERT ON participants
        FOR EACH ROW EXECUTE FUNCTION noop_trigger();`);
  });
  afterAll(() => stop?.());

  it('writes exactly what the per-row checks write, and a rerun changes nothing', async () => {
    expect(await chooseReferenceChecks(perRow.pool, false)).toBe('per-row');
    const a = await importFrom(redis.url, perRow.pool, { batch: 300 });
    const b = await importFrom(redis.url, set.pool, { batch: 300 });
    expect(b.imported).toEqual(a.imported);
    expect(skippedByKey(b.skipped)).toEqual(skippedByKey(a.skipped));
    expect(await snapshot(set.pool, false)).toEqual(await snapshot(perRow.pool, false));
    expect(b.imported.participants).toBeGreaterThan(2000);
    const again = await importFrom(redis.url, set.pool, { batch: 300 });
    expect(again.imported.participants).toBe(0);
  });
});
