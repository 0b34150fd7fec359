// Shared plumbing for benchmarks: a fresh migrated database, a server process, percentiles, CPU usage.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runMigrations } from '../../server/platform/db/migrate.ts';
import { createLogger } from '../../server/platform/logger.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether a process with this pid is running on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A new database `<base>_<pid>`: the pid keeps two benches running at once (two people, or two checkouts) from
 * dropping each other's database mid-run. Databases left by runs that were killed are dropped first.
 */
export async function freshDatabase(
  base: string,
): Promise<{ url: string; pool: pg.Pool; drop(): Promise<void> }> {
  const name = `${base}_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname ~ ('^' || $1 || '_[0-9]+$')`,
    [base],
  );
  for (const { datname } of rows) {
    if (datname === name || !alive(Number(datname.slice(base.length + 1)))) {
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  }
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await runMigrations({ connectionString: url.toString(), ssl: false }, createLogger('warn'));
  const pool = new pg.Pool({ connectionString: url.toString(), max: 8 });
  // An idle connection ended by PostgreSQL (e.g. another suite's pg_terminate_backend on this shared server)
  // must not crash the run: the pool replaces it, and a query in flight fails on its own.
  pool.on('error', (err) => console.error(`bench pool: ${err.message}`));
  admin.on('error', (err) => console.error(`bench admin connection: ${err.message}`));
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface ServerHandle {
  proc: ChildProcess;
  httpPort: number;
  realtimePort: number;
  cpuSeconds(): number;
  /** Calls `listener` with every stdout line from now on (JSON log lines); returns the unsubscribe. */
  onLine(listener: (line: string) => void): () => void;
  stop(): Promise<void>;
}

/** Starts server/main.ts as a child process and waits until it is ready. */
export async function startServer(
  env: Record<string, string>,
  opts: { onLine?: (line: string) => void } = {},
): Promise<ServerHandle> {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server there when it stops (open it in Chrome
  // DevTools or speedscope); that is how the fan-out and join paths were profiled.
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  // BENCH_NODE_FLAGS="--max-semi-space-size=1 ..." passes V8/Node flags to the server (memory experiments).
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...prof, ...flags, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SERVER_PORT: '0',
      REALTIME_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let httpPort = 0;
  let realtimePort = 0;
  // Lines before Ready count too: e.g. a relay may take leadership while the node is still starting.
  const listeners = new Set<(line: string) => void>(opts.onLine ? [opts.onLine] : []);
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n').slice(0, -1)) {
        for (const listener of listeners) listener(line);
        if (line.includes('"HTTP listening"')) httpPort = (JSON.parse(line) as { port: number }).port;
        if (line.includes('"Realtime listening"')) realtimePort = (JSON.parse(line) as { port: number }).port;
        if (line.includes('"msg":"Ready"')) resolve();
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  proc.stdout?.resume();
  return {
    proc,
    httpPort,
    realtimePort,
    cpuSeconds: () => processCpuSeconds(proc.pid ?? 0),
    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

/** utime + stime of a process, from /proc (Linux). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join('/')}`;
}
