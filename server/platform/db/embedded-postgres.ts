// Embedded PostgreSQL for `npm start` with nothing configured: data under DATA_DIR/pg, reused across starts.
// Every step may be interrupted (a stop request aborts `signal`, or the process is killed) and the next start
// still comes up: DATA_DIR/pg appears only complete (initdb.ts), a server left running is adopted, and a
// server stopped mid-write recovers from its WAL by itself.
import { chmodSync, existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { initCluster, sweepInterruptedInit } from './initdb.ts';
import { postgresBinaries, postgresRunAs, type PostgresBinaries, type RunAs } from './postgres-binaries.ts';
import {
  adoptPostmaster,
  isAlive,
  runningPostmaster,
  startPostmaster,
  type Postmaster,
} from './postmaster.ts';

export interface EmbeddedPg {
  connectionString: string;
  /** Stops PostgreSQL (fast shutdown) and resolves once it exited. Call it after closing every pool. */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** How long a server left running by an earlier process may take to answer before we give up on it. */
const ADOPT_WAIT_MS = 10_000;

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  logger: Logger;
  /** Aborted when the process stops during boot: whatever was started is stopped, then this rejects. */
  signal?: AbortSignal;
}): Promise<EmbeddedPg> {
  const { port, signal } = opts;
  const log = opts.logger.child({ module: 'embedded-postgres' });
  const databaseDir = resolve(opts.dataDir, 'pg');
  mkdirSync(resolve(opts.dataDir), { recursive: true });
  const runAs = await postgresRunAs();
  // As root, PostgreSQL runs as the `postgres` user, which must be able to traverse DATA_DIR.
  if (runAs) chmodSync(resolve(opts.dataDir), 0o755);
  const binaries = await postgresBinaries();
  sweepInterruptedInit(databaseDir, log);
  const fresh = !hasCluster(databaseDir);
  if (fresh) {
    log.info({ dataDir: databaseDir }, 'Creating the embedded PostgreSQL cluster (first start)');
    await initCluster({ binaries, runAs, dataDir: databaseDir, user: USER, password: PASSWORD, log, signal });
  }
  const postmaster = await adoptOrStart({ binaries, runAs, databaseDir, port, log, signal });
  try {
    await ensureDatabase(adminUrl(port), opts.database);
    signal?.throwIfAborted();
  } catch (err) {
    await postmaster.stop();
    throw err;
  }
  log.info(
    { dataDir: databaseDir, port, fresh },
    'No database configured: using embedded PostgreSQL (set DATABASE_URL or POSTGRES_HOST for a real one)',
  );
  return {
    connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${opts.database}`,
    stop: async () => {
      await postmaster.stop();
      log.info('Embedded PostgreSQL stopped');
    },
  };
}

/** True for a complete cluster; an empty directory is removed (initdb makes it), anything else refused. */
function hasCluster(databaseDir: string): boolean {
  if (!existsSync(databaseDir)) return false;
  if (existsSync(resolve(databaseDir, 'PG_VERSION'))) return true;
  if (readdirSync(databaseDir).length === 0) {
    rmdirSync(databaseDir);
    return false;
  }
  throw new Error(
    `${databaseDir} exists but is not a PostgreSQL data directory (a first start interrupted by an older ` +
      `version leaves one). If it holds nothing you need, delete it (rm -rf '${databaseDir}') and start again.`,
  );
}

async function adoptOrStart(opts: {
  binaries: PostgresBinaries;
  runAs: RunAs | undefined;
  databaseDir: string;
  port: number;
  log: Logger;
  signal?: AbortSignal;
}): Promise<Postmaster> {
  const { databaseDir, port, log, signal } = opts;
  const left = runningPostmaster(databaseDir);
  if (left) {
    const orphan = adoptPostmaster(left.pid);
    if (left.port === port && (await answers(left.pid, port, signal))) {
      // A previous process died without stopping PostgreSQL (SIGKILL, crash): adopt the running server.
      log.warn({ pid: left.pid }, 'Adopting an embedded PostgreSQL left running');
      return orphan;
    }
    log.warn({ pid: left.pid, port: left.port }, 'Stopping an embedded PostgreSQL left running');
    await orphan.stop();
  }
  try {
    return await startPostmaster({ ...opts, dataDir: databaseDir });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new Error(
      `${(err as Error).message}. If ${databaseDir} was left half-made by an interrupted first start, ` +
        `and holds nothing you need, delete it (rm -rf '${databaseDir}') and start again.`,
      { cause: err },
    );
  }
}

/** Waits for a server left running to answer; false once it exited (it was shutting down). */
async function answers(pid: number, port: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + ADOPT_WAIT_MS;
  while (isAlive(pid)) {
    signal?.throwIfAborted();
    const client = new pg.Client({ connectionString: adminUrl(port), connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      if (Date.now() > deadline) {
        throw new Error(
          `A PostgreSQL (pid ${pid}) holds the embedded data directory but does not answer on port ${port}: ` +
            `stop it (kill -INT ${pid}) and start again.`,
        );
      }
      await new Promise((done) => setTimeout(done, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return false;
}

const adminUrl = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

async function ensureDatabase(url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // A stop mid-query surfaces as the query's rejection.
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    // Identifier quoting via pg's escapeIdentifier: the name comes from config, never from a request.
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
