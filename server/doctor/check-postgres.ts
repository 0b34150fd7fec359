// PostgreSQL: reachable, its version, migrations applied, connections in use against max_connections.
import pg from 'pg';
import type { DatabaseConfig } from '../config/index.ts';
import { pendingMigrations } from '../platform/db/index.ts';
import { sslOptions } from '../platform/db/ssl.ts';
import { failure, ok, reason, warning, type CheckResult } from './check-result.ts';
import { serverFacts } from './doctor.queries.ts';

const MIN_VERSION_NUM = 140000;

/** Returns the rows and, when connected, a pool for later checks (closed by the caller). */
export async function checkPostgres(
  config: DatabaseConfig,
): Promise<{ rows: CheckResult[]; pool?: pg.Pool }> {
  const target =
    config.kind === 'embedded'
      ? {
          connectionString: `postgres://postgres:postgres@127.0.0.1:${config.port}/${config.database}`,
          ssl: false as const,
        }
      : {
          connectionString: config.url,
          ssl: config.sslMode === 'prefer' ? false : sslOptions(config.sslMode, config.sslRootCert),
        };
  const pool = new pg.Pool({ ...target, max: 2, connectionTimeoutMillis: 3_000 });
  pool.on('error', () => undefined); // An idle client dying is reported by the queries, not by a crash.
  const rows: CheckResult[] = [];
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (config.kind === 'embedded') {
      return {
        rows: [
          warning(
            'postgresql',
            `embedded PostgreSQL on 127.0.0.1:${config.port} is not running (${reason(err)})`,
            'It starts with `npm start`; run the doctor while the server runs, or set DATABASE_URL.',
          ),
        ],
      };
    }
    return {
      rows: [
        failure(
          'postgresql',
          `cannot connect: ${reason(err)}`,
          'Check DATABASE_URL (host, port, user, password, sslmode) and that PostgreSQL runs.',
        ),
      ],
    };
  }
  try {
    const facts = await serverFacts(client);
    rows.push(
      facts.num < MIN_VERSION_NUM
        ? warning('postgresql', `PostgreSQL ${facts.version}`, 'Use PostgreSQL 14 or newer.')
        : ok('postgresql', `PostgreSQL ${facts.version}${config.kind === 'embedded' ? ' (embedded)' : ''}`),
    );
    const share = facts.used / facts.max;
    rows.push(
      share > 0.8
        ? warning(
            'pg connections',
            `${facts.used} of max_connections ${facts.max} in use`,
            'Lower MAX_OPEN_CONNS per node or raise max_connections (or put PgBouncer in front).',
          )
        : ok('pg connections', `${facts.used} of ${facts.max} in use`),
    );
  } catch (err) {
    rows.push(
      failure('postgresql', `query failed: ${reason(err)}`, 'Check the user has access to the database.'),
    );
  } finally {
    client.release();
  }
  try {
    const pending = await pendingMigrations(pool);
    rows.push(
      pending.length === 0
        ? ok('migrations', 'all applied')
        : failure(
            'migrations',
            `${pending.length} pending: ${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', ...' : ''}`,
            'Run `npm run db:migrate` (or start one node with DB_AUTO_MIGRATE=true).',
          ),
    );
  } catch (err) {
    rows.push(failure('migrations', `cannot read: ${reason(err)}`, 'Run `npm run db:migrate`.'));
  }
  return { rows, pool };
}
