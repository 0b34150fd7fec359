// The application's pg Pool, sized and aged as the seed's MAX_OPEN_CONNS / MAX_IDLE_CONNS / CONN_MAX_LIFETIME.
import pg from 'pg';
import type { PgTarget } from './pg-target.ts';

export interface PoolSettings {
  max: number;
  idleMax: number;
  maxLifetimeMs: number;
  applicationName: string;
}

export function createPool(target: PgTarget, settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    ssl: target.ssl,
    max: settings.max,
    // pg-pool keeps `min` connections forever and closes the rest after idleTimeoutMillis: the closest
    // match to database/sql's "max idle connections".
    min: Math.min(settings.idleMax, settings.max),
    idleTimeoutMillis: 10_000,
    maxLifetimeSeconds: Math.ceil(settings.maxLifetimeMs / 1000),
    connectionTimeoutMillis: 5_000,
    application_name: settings.applicationName,
  });
  // An idle client losing its connection (PostgreSQL restart) emits here; without a listener it would crash
  // the process. The pool discards the client and the next checkout reconnects.
  pool.on('error', () => undefined);
  // pg-pool removes its listener while a client is checked out (transactions hold one), and a pg Client
  // with no 'error' listener turns a reset socket (PostgreSQL restart, failover) into an uncaught exception
  // that kills the process. The statement in flight still rejects with the error; this only keeps it local.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}
