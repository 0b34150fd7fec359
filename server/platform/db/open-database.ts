// Resolves the configured database (external or embedded), honours sslmode=prefer, and builds the pool.
import pg from 'pg';
import type { DatabaseConfig } from '../../config/index.ts';
import type { Logger } from '../logger.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import type { PgTarget } from './pg-target.ts';
import { createPool } from './pool.ts';
import { isNoSslError, sslOptions } from './ssl.ts';

export interface Database {
  target: PgTarget;
  pool: pg.Pool;
  /** Ends the pool, then stops embedded PostgreSQL if we started it (last: nothing of ours still uses it). */
  close(): Promise<void>;
}

/** How long close() waits for checked-out clients before stopping embedded PostgreSQL under them. */
const POOL_END_WAIT_MS = 2_000;

export async function openDatabase(
  config: DatabaseConfig,
  logger: Logger,
  appName: string,
  /** Aborted when the process stops during boot: an embedded PostgreSQL being started is stopped again. */
  signal?: AbortSignal,
): Promise<Database> {
  let target: PgTarget;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (config.kind === 'embedded') {
    const embedded = await startEmbeddedPostgres({ ...config, logger, signal });
    target = { connectionString: embedded.connectionString, ssl: false };
    stopEmbedded = () => embedded.stop();
  } else {
    target = { connectionString: config.url, ssl: sslOptions(config.sslMode, config.sslRootCert) };
    if (config.sslMode === 'prefer') target = await preferTls(target, logger);
  }
  const pool = createPool(target, {
    max: config.poolMax,
    idleMax: config.poolIdleMax,
    maxLifetimeMs: config.connMaxLifetimeMs,
    applicationName: appName,
  });
  return {
    target,
    pool,
    async close() {
      // pool.end() waits for every checked-out client; one a stuck caller never releases must not keep
      // PostgreSQL up. Its connection is then closed by PostgreSQL's fast shutdown (or by process exit).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        pool.end().catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, POOL_END_WAIT_MS))),
      ]);
      clearTimeout(timer);
      await stopEmbedded?.();
    },
  };
}

/** libpq's "prefer": TLS when the server offers it, plain otherwise. Decided once, at boot. */
async function preferTls(target: PgTarget, logger: Logger): Promise<PgTarget> {
  const client = new pg.Client({ connectionString: target.connectionString, ssl: target.ssl });
  try {
    await client.connect();
    return target;
  } catch (err) {
    if (!isNoSslError(err)) return target; // Unreachable for another reason: readiness will say so.
    logger.warn({ module: 'db' }, 'POSTGRES_SSLMODE=prefer: the server has no TLS, connecting without it');
    return { ...target, ssl: false };
  } finally {
    await client.end().catch(() => undefined);
  }
}
