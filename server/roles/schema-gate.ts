// Roles that need the migrated schema start after this gate: it runs the migrations (AUTO_MIGRATE) or waits
// until another node (or `npm run db:migrate`) has run them. "PostgreSQL unreachable" and "migrations pending"
// are both waited out, each with its own message.
import { retryUntil, toAppError, type Logger } from '../platform/index.ts';
import { pendingMigrations, runMigrations, type Database } from '../platform/db/index.ts';
import type { Part } from './lifecycle.ts';

/** The schema is reachable but behind: another node owns migrations and has not run them yet. */
export class MigrationsPending extends Error {
  constructor(readonly pending: readonly string[]) {
    super(`Waiting for migrations: ${pending.join(', ')}`);
    this.name = 'MigrationsPending';
  }
}

export async function ensureSchemaCurrent(database: Database): Promise<void> {
  const pending = await pendingMigrations(database.pool);
  if (pending.length > 0) throw new MigrationsPending(pending);
}

export function schemaGate(deps: {
  database: Database;
  autoMigrate: boolean;
  logger: Logger;
  /** Aborted when the node stops during boot. */
  signal: AbortSignal;
}): Part {
  const { database, logger } = deps;
  return {
    name: 'schema',
    start: () =>
      retryUntil<unknown>(
        () =>
          deps.autoMigrate
            ? runMigrations(database.target, logger, deps.signal)
            : ensureSchemaCurrent(database),
        {
          isRetryable: (err) => err instanceof MigrationsPending || toAppError(err).code === 'UNAVAILABLE',
          onRetry: (err, delayMs) =>
            err instanceof MigrationsPending
              ? logger.warn({ pending: err.pending, delayMs }, 'Migrations pending; waiting for them')
              : logger.warn(
                  { err: (err as Error).message, delayMs },
                  'PostgreSQL not reachable yet; retrying',
                ),
          signal: deps.signal,
        },
      ).then(() => undefined),
    stop: () => Promise.resolve(),
  };
}

/** Starts the job queue once PostgreSQL answers (pg-boss migrates its own schema under its own lock). */
export function jobQueuePart(deps: {
  jobs: { start(): Promise<void>; stop(timeoutMs?: number): Promise<void> };
  logger: Logger;
  stopTimeoutMs: number;
  signal: AbortSignal;
}): Part {
  return {
    name: 'jobs',
    start: () =>
      retryUntil(() => deps.jobs.start(), {
        isRetryable: (e) => toAppError(e).code === 'UNAVAILABLE',
        onRetry: (err, delayMs) =>
          deps.logger.warn({ err: (err as Error).message, delayMs }, 'Job queue not ready; retrying'),
        signal: deps.signal,
      }),
    stop: () => deps.jobs.stop(deps.stopTimeoutMs),
  };
}
