// Embedded PostgreSQL for `npm start` with nothing configured: data under DATA_DIR/pg, reused across starts.
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '../logger.ts';
import { loadEmbeddedPostgres } from './load-embedded-postgres.ts';
import pg from 'pg';

export interface EmbeddedPg {
  connectionString: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  logger: Logger;
}): Promise<EmbeddedPg> {
  const databaseDir = resolve(opts.dataDir, 'pg');
  mkdirSync(resolve(opts.dataDir), { recursive: true });
  const isRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as the `postgres` user, which must be able to traverse DATA_DIR.
  if (isRoot) chmodSync(resolve(opts.dataDir), 0o755);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root: as root the package runs it as the `postgres` system user and
    // chowns the data directory (it only creates that user when missing).
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', '/tmp'],
    onLog: (message) => opts.logger.debug({ module: 'embedded-postgres' }, String(message).trim()),
    onError: (message) => opts.logger.debug({ module: 'embedded-postgres' }, String(message).trim()),
  });
  const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
  if (fresh) await server.initialise();
  const orphan = runningPostmaster(databaseDir);
  if (orphan === undefined) {
    await server.start();
  } else {
    // A previous process died without stopping PostgreSQL (SIGKILL, crash): adopt the running server.
    opts.logger.warn(
      { module: 'embedded-postgres', pid: orphan },
      'Adopting an embedded PostgreSQL left running',
    );
  }
  await ensureDatabase(`postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`, opts.database);
  opts.logger.info(
    { module: 'embedded-postgres', dataDir: databaseDir, port: opts.port, fresh },
    'No database configured: using embedded PostgreSQL (set DATABASE_URL or POSTGRES_HOST for a real one)',
  );
  return {
    connectionString: `postgres://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    stop: async () => {
      if (orphan === undefined) await server.stop();
      else process.kill(orphan, 'SIGINT'); // PostgreSQL's "fast" shutdown.
    },
  };
}

function runningPostmaster(databaseDir: string): number | undefined {
  const pidFile = resolve(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // Stale pid file: PostgreSQL removes or overwrites it on start.
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    // Identifier quoting via pg's escapeIdentifier: the name comes from config, never from a request.
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
