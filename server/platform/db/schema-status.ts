// Which migration files the database has not applied yet (for DB_AUTO_MIGRATE=false nodes).
import { readdirSync } from 'node:fs';
import type pg from 'pg';
import { MIGRATIONS_DIR } from './migrate.ts';

export async function pendingMigrations(pool: pg.Pool): Promise<string[]> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/, ''))
    .sort();
  const exists = await pool.query<{ t: string | null }>(
    `SELECT to_regclass('public.pgmigrations')::text AS t`,
  );
  if (!exists.rows[0]?.t) return files;
  const done = await pool.query<{ name: string }>('SELECT name FROM pgmigrations');
  const applied = new Set(done.rows.map((r) => r.name));
  return files.filter((f) => !applied.has(f));
}
