import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/platform/logger.ts';
import { MIGRATIONS_DIR, pendingMigrations, runMigrations } from '../../../server/platform/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

const logger = createLogger('silent');
const files = readdirSync(MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.replace(/\.sql$/, ''))
  .sort();
const SEED_TABLES = [
  'users',
  'giveaways',
  'participants',
  'prizes',
  'giveaway_prizes',
  'win_records',
  'requirements',
  'sponsors',
  'giveaway_sponsors',
  'tickets',
  'pre_winner_lists',
];

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

describe('migrations', () => {
  it('build every seed table from an empty database, in file order', async () => {
    db = await createTestDatabase({ empty: true });
    expect(await pendingMigrations(db.pool)).toEqual(files);
    const applied = await runMigrations({ connectionString: db.url, ssl: false }, logger);
    expect(applied).toEqual(files);
    const { rows } = await db.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const tables = rows.map((r) => r.table_name);
    for (const t of [
      ...SEED_TABLES,
      'draw_commitments',
      'draw_proofs',
      'api_keys',
      'channels',
      'channel_admins',
    ]) {
      expect(tables, t).toContain(t);
    }
    expect(await pendingMigrations(db.pool)).toEqual([]);
    expect(await runMigrations({ connectionString: db.url, ssl: false }, logger)).toEqual([]);
  });

  it('apply exactly once when two runners start together', async () => {
    db = await createTestDatabase({ empty: true });
    const target = { connectionString: db.url, ssl: false as const };
    const [a, b] = await Promise.all([runMigrations(target, logger), runMigrations(target, logger)]);
    // One runner applied everything; the other waited on the advisory lock, then found nothing to do.
    expect([a, b].sort((x, y) => y.length - x.length)).toEqual([files, []]);
    const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM pgmigrations');
    expect(Number(rows[0]?.n)).toBe(files.length);
  });
});

describe('schema constraints', () => {
  it('enforce the domain: statuses, winners_count, duration bounds, capacity, weights', async () => {
    db = await createTestDatabase();
    await db.pool.query(`INSERT INTO users (id) VALUES (1), (2)`);
    const insert = (cols: string) =>
      db?.pool.query(
        `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count, max_participants, status)
         VALUES ${cols}`,
      );
    const ok = `(1, 't', now(), now() + interval '1 hour', 3600, 1, 0, 'active')`;
    await expect(insert(ok)).resolves.toBeDefined();
    await expect(insert(`(1, 't', now(), now() + interval '1 hour', 3600, 0, 0, 'active')`)).rejects.toThrow(
      /check/,
    );
    await expect(insert(`(1, 't', now(), now() + interval '1 hour', 4, 1, 0, 'active')`)).rejects.toThrow(
      /check/,
    );
    await expect(
      insert(`(1, 't', now(), now() + interval '1 hour', 5184001, 1, 0, 'active')`),
    ).rejects.toThrow(/check/);
    await expect(insert(`(1, 't', now(), now() + interval '1 hour', 3600, 5, 3, 'active')`)).rejects.toThrow(
      /check/,
    );
    await expect(insert(`(1, 't', now(), now() + interval '1 hour', 3600, 1, 0, 'history')`)).rejects.toThrow(
      /enum/,
    );
    await expect(insert(`(1, '', now(), now() + interval '1 hour', 3600, 1, 0, 'active')`)).rejects.toThrow(
      /check/,
    );
    await expect(insert(`(1, 't', now(), now() + interval '1 hour', 3600, 1, 0, 'pending')`)).rejects.toThrow(
      /pending_has_since/,
    );
    await expect(insert(`(99, 't', now(), now() + interval '1 hour', 3600, 1, 0, 'active')`)).rejects.toThrow(
      /foreign key/,
    );
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM giveaways');
    const id = rows[0]?.id;
    await expect(
      db.pool.query(`INSERT INTO tickets (giveaway_id, user_id, count) VALUES ($1, 2, 1)`, [id]),
    ).rejects.toThrow(/foreign key/); // Tickets only for participants.
    await expect(
      db.pool.query(
        `INSERT INTO draw_entrant_chunks (giveaway_id, chunk, first_user_id, last_user_id, user_ids, weights)
         VALUES ($1, 0, 2, 2, '{2}', '{0}')`,
        [id],
      ),
    ).rejects.toThrow(/check/);
    await expect(
      db.pool.query(
        `INSERT INTO requirements (giveaway_id, position, type, account_age_min_year, account_age_max_year)
         VALUES ($1, 0, 'account_age', 2020, 2018)`,
        [id],
      ),
    ).rejects.toThrow(/account_age_bounds/);
  });

  it('bump version and notify on every giveaway change, including direct SQL', async () => {
    db = await createTestDatabase();
    const listener = await db.pool.connect();
    const payloads: unknown[] = [];
    listener.on('notification', (n) => payloads.push(JSON.parse(n.payload ?? 'null')));
    await listener.query('LISTEN giveaway_changed');
    await db.pool.query(`INSERT INTO users (id) VALUES (1)`);
    const { rows } = await db.pool.query<{ id: string; version: string }>(
      `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
       VALUES (1, 't', now(), now() + interval '1 hour', 3600, 1) RETURNING id, version`,
    );
    const id = rows[0]?.id;
    await db.pool.query(`UPDATE giveaways SET participants_count = 5 WHERE id = $1`, [id]);
    await db.pool.query(`UPDATE giveaways SET participants_count = 5 WHERE id = $1`, [id]); // No change: no bump.
    // A fence: notifications arrive in commit order, so once this one is in, any from the statements above is.
    await db.pool.query(`SELECT pg_notify('giveaway_changed', '"fence"')`);
    await expect.poll(() => payloads.at(-1), { timeout: 15_000 }).toBe('fence');
    listener.release();
    expect(payloads).toEqual([
      { giveaway_id: id, version: 1, op: 'insert' },
      { giveaway_id: id, version: 2, op: 'update' },
      'fence',
    ]);
  });
});
