// Command-line options of `npm run import:redis`.
import { parseArgs } from 'node:util';
import { DEFAULT_BATCH } from './importer.ts';

export interface CliArgs {
  from: string;
  dryRun: boolean;
  batch: number;
  report: string | undefined;
  writers: number;
  slowMs: number;
  disableTriggers: boolean;
}

export const USAGE = `Usage: npm run import:redis -- --from redis://host:port/db [options]

Imports the legacy Redis keyspace into the PostgreSQL database configured for the server
(DATABASE_URL or POSTGRES_*), after applying pending migrations. Reads the source only.

  --from URL       the legacy Redis (redis://[:password@]host:port/db), required
  --dry-run        read and validate everything, write inside a transaction that is rolled back
  --batch N        keys per Redis pipeline and rows per COPY (default ${DEFAULT_BATCH})
  --report FILE    write the JSON report to FILE (default: standard output)
  --writers N      writes in flight at once (default 2)
  --disable-triggers
                   skip the foreign-key checks of the participants insert, as pg_restore's
                   option of that name does: about twice as fast; needs a superuser and a
                   target database nothing else writes to while the import runs
  --help           this text

Progress and the summary table go to standard error.`;

export class UsageError extends Error {}

function positive(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min)
    throw new UsageError(`--${name} must be an integer ≥ ${min} (got "${raw}")`);
  return v;
}

export function parseCliArgs(argv: string[]): CliArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'disable-triggers': { type: 'boolean', default: false },
        batch: { type: 'string' },
        report: { type: 'string' },
        writers: { type: 'string' },
        // Testing aid (not in the usage): pause after each participant batch.
        'slow-ms': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (!values.from) throw new UsageError('--from is required');
  if (!/^rediss?:\/\//.test(values.from)) throw new UsageError('--from must be a redis:// or rediss:// URL');
  return {
    from: values.from,
    dryRun: values['dry-run'] ?? false,
    batch: positive('batch', values.batch, DEFAULT_BATCH),
    report: values.report,
    writers: positive('writers', values.writers, 2),
    slowMs: positive('slow-ms', values['slow-ms'], 0, 0),
    disableTriggers: values['disable-triggers'] ?? false,
  };
}
