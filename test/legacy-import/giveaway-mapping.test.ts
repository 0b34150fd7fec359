// The status, time, limit and skip rules of the import, checked on the fixture keyspace imported once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReportJson } from '../../server/legacy-import/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { importFrom, startLegacyRedis, type LegacyRedis } from './harness.ts';
import { DAY, G, HOUR, T0, writeLegacyFixture } from './legacy-fixture.ts';

let db: TestDatabase;
let redis: LegacyRedis;
let report: ImportReportJson;
const now = new Date();

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), startLegacyRedis()]);
  await writeLegacyFixture(redis.client, now);
  report = await importFrom(redis.url, db.pool, { batch: 3 });
});
afterAll(async () => {
  await Promise.all([db?.drop(), redis?.stop()]);
});

async function giveaway(id: string) {
  const { rows } = await db.pool.query('SELECT * FROM giveaways WHERE id = $1', [id.toLowerCase()]);
  return rows[0];
}
const skipsOf = (reason: string) => report.skipped.items.filter((i) => i.reason === reason).map((i) => i.key);
const committed = async (id: string) =>
  (await db.pool.query('SELECT 1 FROM draw_commitments WHERE giveaway_id = $1', [id])).rowCount === 1;

describe('statuses come from the JSON, not from the drifting status sets', () => {
  it('keeps an active giveaway active, recomputes its zero ends_at and commits its draw', async () => {
    const g = await giveaway(G.active);
    expect(g.status).toBe('active');
    expect(g.ends_at.getTime() - g.started_at.getTime()).toBe(7 * DAY);
    expect(g.closed_at).toBeNull();
    expect(await committed(G.active)).toBe(true);
  });

  it('leaves an active giveaway past its end active, for the scheduler to close and draw', async () => {
    const g = await giveaway(G.expired);
    expect(g.status).toBe('active');
    expect(g.ends_at.getTime()).toBe(T0.getTime() - 3 * DAY + HOUR);
    expect(g.ends_at.getTime()).toBeLessThan(Date.now());
    expect(await committed(G.expired)).toBe(true);
  });

  it('maps completed and history to completed, finished at the last legacy write', async () => {
    for (const id of [G.completed, G.history]) {
      const g = await giveaway(id);
      expect(g.status).toBe('completed');
      expect(g.finished_at.getTime()).toBe(T0.getTime() + 2 * HOUR);
      expect(await committed(id)).toBe(false);
    }
  });

  it('maps cancelled to cancelled although the active set still lists it', async () => {
    expect((await giveaway(G.cancelled)).status).toBe('cancelled');
    expect(report.source_checks.examples).toContain(`${G.cancelled}: JSON cancelled, sets active`);
  });

  it('maps custom to pending since its last update, with entrants frozen and the list kept', async () => {
    const g = await giveaway(G.custom);
    expect(g.status).toBe('pending');
    expect(g.pending_since.getTime()).toBe(T0.getTime() + 5 * HOUR);
    expect(g.closed_at.getTime()).toBe(T0.getTime() + 5 * HOUR);
    expect(await committed(G.custom)).toBe(true);
    const entrants = await db.pool.query(
      `SELECT e.user_id::int, e.weight
       FROM draw_entrant_chunks c, unnest(c.user_ids, c.weights) AS e(user_id, weight)
       WHERE c.giveaway_id = $1 ORDER BY 1`,
      [G.custom],
    );
    expect(entrants.rows).toEqual([
      { user_id: 1001, weight: 1 },
      { user_id: 1002, weight: 5 },
      { user_id: 1003, weight: 1 },
    ]);
    const list = await db.pool.query('SELECT * FROM pre_winner_lists WHERE giveaway_id = $1', [G.custom]);
    expect(list.rows[0].user_ids.map(Number)).toEqual([1002, 1003]);
    expect(list.rows[0].expires_at.getTime() - list.rows[0].created_at.getTime()).toBe(DAY);
  });

  it('completes a pending giveaway that has win records, and redraws a processing one without', async () => {
    expect((await giveaway(G.pendingWon)).status).toBe('completed');
    const processing = await giveaway(G.processing);
    expect(processing.status).toBe('active');
    expect(await committed(G.processing)).toBe(true);
    expect(report.status_mapping).toMatchObject({
      'active→active': 2,
      'cancelled→cancelled': 1,
      'custom→pending': 1,
      'history→completed': 1,
      'pending→completed': 1,
      'processing→active': 1,
    });
  });
});

it('writes each giveaway once: version 1, updated_at as the legacy JSON has it', async () => {
  const { rows } = await db.pool.query('SELECT id, version FROM giveaways');
  expect(rows.length).toBe(report.imported.giveaways);
  // Sets bigger than the batch are streamed: a count thrown off by an invalid member is corrected after.
  for (const r of rows) expect([r.id, Number(r.version)]).toEqual([r.id, r.id === G.active ? 2 : 1]);
  expect((await giveaway(G.completed)).updated_at.getTime()).toBe(T0.getTime() + 2 * HOUR);
});

describe('values are fitted to our constraints, and the report says so', () => {
  it('clamps title, description, duration, winners and max participants', async () => {
    const g = await giveaway(G.clamped);
    expect(g.title).toBe('T'.repeat(100));
    expect(g.description).toHaveLength(1000);
    expect(g.duration).toBe(5_184_000);
    expect(g.winners_count).toBe(1);
    expect(g.max_participants).toBe(0);
    const short = await giveaway(G.short);
    expect(short).toMatchObject({ duration: 5, winners_count: 5, max_participants: 5 });
    const fields = report.clamped.items.filter((c) => c.key === `giveaway:${G.clamped}`).map((c) => c.field);
    expect(fields).toEqual(['title', 'description', 'duration', 'winners_count', 'max_participants']);
    expect(report.clamped.items).toContainEqual({
      key: `giveaway:${G.short}`,
      field: 'duration',
      from: 2,
      to: 5,
    });
  });

  it('replaces an ends_at that disagrees with started_at + duration, and reports it', async () => {
    const g = await giveaway(G.badEnds);
    expect(g.ends_at.getTime()).toBe(T0.getTime() + HOUR);
    expect(report.clamped.items.find((c) => c.key === `giveaway:${G.badEnds}`)?.field).toBe('ends_at');
  });
});

describe('bad data is skipped with its key and reason, and the rest imports', () => {
  it('skips giveaways it cannot make sense of', async () => {
    expect(skipsOf('corrupt_json')).toContain(`giveaway:${G.corrupt}`);
    expect(skipsOf('unknown_status')).toEqual([`giveaway:${G.unknownStatus}`]);
    expect(skipsOf('invalid_creator_id')).toEqual([`giveaway:${G.badCreator}`]);
    expect(skipsOf('invalid_giveaway_id')).toEqual([
      'giveaway:not-a-uuid',
      'giveaway:not-a-uuid:participants',
    ]);
    for (const id of [G.corrupt, G.unknownStatus, G.badCreator]) expect(await giveaway(id)).toBeUndefined();
  });

  it('keeps one spelling of a UUID and stores it in lower case', async () => {
    expect((await giveaway(G.upper)).status).toBe('completed');
    expect(skipsOf('duplicate_giveaway_id')).toEqual([`giveaway:${G.upper.toLowerCase()}`]);
  });

  it('reports keys of the wrong type and unknown keys without reading them', async () => {
    expect(skipsOf('unexpected_type').sort()).toEqual([`giveaway:${G.wrongType}:participants`, 'user:1234']);
    expect(skipsOf('unknown_key')).toEqual(['some:unknown:key']);
    expect((await giveaway(G.wrongType)).participants_count).toBe(0);
    expect(report.ignored_keys['lock (ephemeral)']).toBeGreaterThanOrEqual(1);
  });

  it('reports the side keys and win records of deleted giveaways as orphans', () => {
    expect(skipsOf('orphan_no_giveaway').sort()).toEqual(
      [
        `giveaway:${G.deleted}:participants`,
        `giveaway:${G.deleted}:tickets`,
        `giveaway:${G.deleted}:winners`,
        `giveaway:participants_count:${G.deleted}`,
        'win_record:00000000-0000-4000-8000-000000000305',
      ].sort(),
    );
    expect(report.source_checks.status_set_orphans).toBe(1);
  });
});
