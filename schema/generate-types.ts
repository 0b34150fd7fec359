// `npm run db:types`: builds a scratch database from schema/migrations and writes zapatos' types into
// schema/zapatos. With --check it writes nowhere and fails when the committed types are stale (CI).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generate } from 'zapatos/generate';
import { createLogger } from '../server/platform/logger.ts';
import { runMigrations } from '../server/platform/db/migrate.ts';

const check = process.argv.includes('--check');
const target = fileURLToPath(new URL('./zapatos', import.meta.url));
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = `zapatos_gen_${process.pid}`;
const scratchUrl = withDatabase(adminUrl, scratch);

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

// zapatos' generator leaves its own pool connected to the scratch database; dropping the database WITH
// (FORCE) terminates those sessions (57P01), which that pool reports as an unhandled 'error'. Expected here.
process.on('uncaughtException', (err: Error & { code?: string }) => {
  if (err.code === '57P01') return;
  throw err;
});

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${scratch}`);
const out = mkdtempSync(join(tmpdir(), 'zapatos-'));
try {
  await runMigrations({ connectionString: scratchUrl, ssl: false }, createLogger('warn'));
  await generate({
    db: { connectionString: scratchUrl },
    outDir: out,
    schemas: { public: { include: '*', exclude: ['pgmigrations'] } },
    progressListener: false,
    warningListener: false,
  });
  const fresh = join(out, 'zapatos');
  if (check) {
    const a = listFiles(fresh)
      .map((f) => relative(fresh, f))
      .sort();
    const b = listFiles(target)
      .map((f) => relative(target, f))
      .filter((f) => f !== 'README.md')
      .sort();
    const stale =
      a.join() !== b.join() ||
      a.some((f) => readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(target, f), 'utf8'));
    if (stale) {
      console.error('schema/zapatos is stale: run `npm run db:types` and commit the result.');
      process.exitCode = 1;
    } else {
      console.log('schema/zapatos is up to date.');
    }
  } else {
    for (const f of readdirSync(target)) if (f !== 'README.md') rmSync(join(target, f), { recursive: true });
    cpSync(fresh, target, { recursive: true });
    console.log(`Wrote ${relative(process.cwd(), target)}`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
  await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
  await admin.end();
}
