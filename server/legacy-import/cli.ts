// `npm run import:redis -- --from redis://host:port/db [--dry-run] [--batch N] [--report out.json]`:
// imports the legacy Redis keyspace into the configured database. Exit 0 when the import ran to the end
// (skips included: read the report), 1 when it could not run, 2 on bad arguments or configuration.
import { writeFileSync } from 'node:fs';
import { ConfigError, loadProcessConfig } from '../config/index.ts';
import { openDatabase, pendingMigrations, runMigrations } from '../platform/db/index.ts';
import { createLogger } from '../platform/logger.ts';
import { USAGE, UsageError, parseCliArgs } from './cli-args.ts';
import { runImport } from './importer.ts';
import { ConsoleProgress } from './progress.ts';
import { renderSummary } from './summary-table.ts';

async function main(): Promise<number> {
  let args;
  let config;
  try {
    args = parseCliArgs(process.argv.slice(2));
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    config = loadProcessConfig();
  } catch (err) {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    else if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else throw err;
    return 2;
  }
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn');
  const database = await openDatabase(config.database, logger, 'giveaway-legacy-import');
  try {
    if (args.dryRun) {
      const pending = await pendingMigrations(database.pool);
      if (pending.length > 0) {
        process.stderr.write(
          `The target database lacks migrations ${pending.join(', ')}; a dry run changes nothing, ` +
            'so run `npm run db:migrate` first (or import for real, which applies them).\n',
        );
        return 1;
      }
    } else {
      await runMigrations(database.target, logger);
    }
    const report = await runImport({
      from: args.from,
      pool: database.pool,
      dryRun: args.dryRun,
      batch: args.batch,
      writers: args.writers,
      slowMs: args.slowMs,
      disableTriggers: args.disableTriggers,
      progress: new ConsoleProgress(process.stderr),
    });
    process.stderr.write(renderSummary(report));
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (args.report) {
      writeFileSync(args.report, json);
      process.stderr.write(`Report written to ${args.report}\n`);
    } else {
      process.stdout.write(json);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`Import failed: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
