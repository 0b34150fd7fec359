// Applies schema/migrations in order with node-pg-migrate. Its advisory lock in "wait" mode makes nodes
// that boot together queue behind each other instead of racing or failing.
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logger.ts';
import type { PgTarget } from './pg-target.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../schema/migrations', import.meta.url));

export async function runMigrations(target: PgTarget, logger: Logger): Promise<string[]> {
  const log = logger.child({ module: 'migrate' });
  const applied = await runner({
    databaseUrl: { connectionString: target.connectionString, ssl: target.ssl },
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
      warn: (msg: string) => log.warn(msg),
      error: (msg: string) => log.error(msg),
    },
  });
  const names = applied.map((m) => m.name);
  log.info({ applied: names }, names.length ? 'Applied migrations' : 'Schema is up to date');
  return names;
}
