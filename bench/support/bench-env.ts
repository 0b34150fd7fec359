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

export async function freshDatabase(
  name: string,
): Promise<{ url: string; pool: pg.Pool; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await runMigrations({ connectionString: url.toString(), ssl: false }, createLogger('warn'));
  const pool = new pg.Pool({ connectionString: url.toString(), max: 8 });
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
  stop(): Promise<void>;
}

/** Starts server/main.ts as a child process and waits until it is ready. */
export async function startServer(env: Record<string, string>): Promise<ServerHandle> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
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
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n').slice(0, -1)) {
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
