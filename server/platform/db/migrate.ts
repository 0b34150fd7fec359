// Applies schema/migrations in order with node-pg-migrate. Its advisory lock in "wait" mode makes nodes
// that boot together queue behind each other instead of racing or failing. All pending migrations run in one
// transaction, so a stop (or a crash) half-way leaves the schema as it was and the next start runs them again.
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { onAbort } from './on-abort.ts';
import type { PgTarget } from './pg-target.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../schema/migrations', import.meta.url));

export async function runMigrations(
  target: PgTarget,
  logger: Logger,
  /** Aborting closes the connection: the transaction rolls back and this rejects. */
  signal?: AbortSignal,
): Promise<string[]> {
  const log = logger.child({ module: 'migrate' });
  signal?.throwIfAborted();
  // Our own client rather than node-pg-migrate's: a client without an 'error' listener turns PostgreSQL
  // closing the connection (its shutdown, a failover) into an uncaught exception; the query in flight
  // rejects with the error all the same.
  const client = new pg.Client({ connectionString: target.connectionString, ssl: target.ssl });
  client.on('error', () => undefined);
  const unsubscribe = onAbort(signal, () => void client.end().catch(() => undefined));
  try {
    await client.connect();
    const names = await migrate(client, log, signal);
    log.info({ applied: names }, names.length ? 'Applied migrations' : 'Schema is up to date');
    return names;
  } catch (err) {
    if (signal?.aborted) log.info('Migrations interrupted by the stop; their transaction rolled back');
    signal?.throwIfAborted();
    throw err;
  } finally {
    unsubscribe();
    await client.end().catch(() => undefined);
  }
}

async function migrate(client: pg.Client, log: Logger, signal?: AbortSignal): Promise<string[]> {
  // After a stop request the failure is ours: no error lines with the whole migration's SQL.
  const quietWhenStopping = (level: 'warn' | 'error') => (msg: string) =>
    signal?.aborted ? log.debug(msg) : log[level](msg);
  const applied = await runner({
    dbClient: client,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    log: (msg: string) => log.debug(msg),
    logger: {
      debug: (msg: string) => log.debug(msg),
      info: (msg: string) => log.debug(msg),
      warn: quietWhenStopping('warn'),
      error: quietWhenStopping('error'),
    },
  });
  return applied.map((m) => m.name);
}
