// Migration 0010 (frozen lists in chunks) on a database that already holds frozen lists: up moves every
// draw_entrants row into chunks of 65,536 in canonical order, down restores exactly those rows, and a giveaway's
// delete removes its frozen list on both sides.
import { readdirSync } from 'node:fs';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../../server/platform/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

const MIGRATION = '0010_entrant-chunks';
const files = readdirSync(MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.replace(/\.sql$/, ''))
  .sort();

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

async function migrate(url: string, direction: 'up' | 'down', count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction,
      count,
      migrationsTable: 'pgmigrations',
      checkOrder: true,
      singleTransaction: true,
      log: () => undefined,
    });
  } finally {
    await client.end();
  }
}

const ROWS = `SELECT giveaway_id, user_id, weight FROM draw_entrants ORDER BY giveaway_id, user_id`;
const DIGEST = `SELECT count(*)::int AS n, md5(string_agg(giveaway_id || ':' || user_id || ':' || weight, ','
  ORDER BY giveaway_id, user_id)) AS digest FROM draw_entrants`;

describe(`migration ${MIGRATION}`, () => {
  it('moves existing frozen lists into chunks and back, and keeps the delete cascade', async () => {
    db = await createTestDatabase({ empty: true });
    const before = files.indexOf(MIGRATION);
    expect(before).toBeGreaterThan(0);
    await migrate(db.url, 'up', before);

    await db.pool.query(`INSERT INTO users (id) VALUES (1)`);
    const { rows: giveaways } = await db.pool.query<{ id: string }>(
      `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
       SELECT 1, 't' || i, now(), now() + interval '1 hour', 3600, 1 FROM generate_series(1, 3) i RETURNING id`,
    );
    const [big, small, gone] = giveaways.map((g) => g.id) as [string, string, string];
    // 70,000 entrants (two chunks), inserted out of order; 3 entrants; and one giveaway deleted below.
    await db.pool.query(
      `INSERT INTO draw_entrants (giveaway_id, user_id, weight)
       SELECT $1, 1000 + 3 * i, 1 + i % 5 FROM generate_series(69999, 0, -1) i`,
      [big],
    );
    await db.pool.query(
      `INSERT INTO draw_entrants (giveaway_id, user_id, weight) VALUES ($1, 9, 1), ($1, 2, 7), ($1, 5, 1),
         ($2, 1, 1)`,
      [small, gone],
    );
    const original = (await db.pool.query(DIGEST)).rows[0];
    const smallRows = (
      await db.pool.query(`${ROWS.replace('ORDER', 'WHERE giveaway_id = $1 ORDER')}`, [small])
    ).rows;

    await migrate(db.url, 'up', 1);
    const { rows: chunks } = await db.pool.query(
      `SELECT giveaway_id, chunk, first_user_id::int AS first, last_user_id::int AS last,
         cardinality(user_ids) AS n, user_ids = (SELECT array_agg(u ORDER BY u) FROM unnest(user_ids) u) AS sorted
       FROM draw_entrant_chunks ORDER BY giveaway_id = $1 DESC, giveaway_id = $2 DESC, chunk`,
      [big, small],
    );
    expect(chunks).toEqual([
      { giveaway_id: big, chunk: 0, first: 1000, last: 1000 + 3 * 65_535, n: 65_536, sorted: true },
      {
        giveaway_id: big,
        chunk: 1,
        first: 1000 + 3 * 65_536,
        last: 1000 + 3 * 69_999,
        n: 4_464,
        sorted: true,
      },
      { giveaway_id: small, chunk: 0, first: 2, last: 9, n: 3, sorted: true },
      { giveaway_id: gone, chunk: 0, first: 1, last: 1, n: 1, sorted: true },
    ]);
    const { rows: smallChunk } = await db.pool.query(
      `SELECT user_ids::text AS ids, weights::text AS weights FROM draw_entrant_chunks WHERE giveaway_id = $1`,
      [small],
    );
    expect(smallChunk).toEqual([{ ids: '{2,5,9}', weights: '{7,1,1}' }]);
    await db.pool.query(`DELETE FROM giveaways WHERE id = $1`, [gone]);
    expect(
      (await db.pool.query(`SELECT 1 FROM draw_entrant_chunks WHERE giveaway_id = $1`, [gone])).rowCount,
    ).toBe(0);

    await migrate(db.url, 'down', 1);
    const { rows: tables } = await db.pool.query(
      `SELECT table_name FROM information_schema.tables WHERE table_name IN ('draw_entrants', 'draw_entrant_chunks')`,
    );
    expect(tables).toEqual([{ table_name: 'draw_entrants' }]);
    // Everything but the deleted giveaway's one row, exactly as it was.
    await db.pool.query(`INSERT INTO draw_entrants (giveaway_id, user_id, weight) VALUES ($1, 1, 1)`, [gone]);
    expect((await db.pool.query(DIGEST)).rows[0]).toEqual(original);
    expect(
      (await db.pool.query(`${ROWS.replace('ORDER', 'WHERE giveaway_id = $1 ORDER')}`, [small])).rows,
    ).toEqual(smallRows);
    await expect(
      db.pool.query(`INSERT INTO draw_entrants (giveaway_id, user_id, weight) VALUES ($1, 3, 0)`, [small]),
    ).rejects.toThrow(/check/);
    await db.pool.query(`DELETE FROM giveaways WHERE id = $1`, [big]);
    expect((await db.pool.query(`SELECT 1 FROM draw_entrants WHERE giveaway_id = $1`, [big])).rowCount).toBe(
      0,
    );

    // And up again, on the restored rows.
    await migrate(db.url, 'up', 1);
    const { rows: again } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM draw_entrant_chunks c, unnest(c.user_ids) u`,
    );
    expect(again[0]?.n).toBe(4);
  });
});
