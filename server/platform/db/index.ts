// Public surface of the database plumbing.
export { openDatabase, type Database } from './open-database.ts';
export { runMigrations, MIGRATIONS_DIR } from './migrate.ts';
export type { PgTarget } from './pg-target.ts';
export { createPool } from './pool.ts';
export { pendingMigrations } from './schema-status.ts';
export { arrayLiteral, intArrayLiteral } from './array-literals.ts';
