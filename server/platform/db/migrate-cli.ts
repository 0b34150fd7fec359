// `npm run db:migrate`: applies pending migrations to the configured database (embedded one included).
import { describeConfig, loadProcessConfig } from '../../config/index.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from './open-database.ts';
import { runMigrations } from './migrate.ts';

const config = loadProcessConfig();
const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'info');
logger.info(describeConfig(config), 'Migrating');
const db = await openDatabase(config.database, logger, 'giveaway-migrate');
try {
  await runMigrations(db.target, logger);
} finally {
  await db.close();
}
