// The embedded PostgreSQL server process. It runs in its own process group so that only we stop it, once our
// own connections are closed: a signal to our group (Ctrl-C, `kill -TERM -<pgid>`, a supervisor) no longer
// reaches it before the drain. If this process dies without stopping it (SIGKILL), the next start adopts it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import { onAbort } from './on-abort.ts';
import type { PostgresBinaries, RunAs } from './postgres-binaries.ts';

export interface Postmaster {
  readonly pid: number;
  /** Fast shutdown (SIGINT: roll back open transactions, close sessions, checkpoint); resolves once gone. */
  stop(): Promise<void>;
}

const READY = 'database system is ready to accept connections';

/** Postmasters we started or adopted and have not seen exit. */
const live = new Set<number>();
let exitHookInstalled = false;

/** Last resort: however this process ends (hard shutdown timeout, crash), no postmaster of ours stays up. */
function track(pid: number): void {
  live.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) signalPid(p, 'SIGINT');
  });
}

export async function startPostmaster(opts: {
  binaries: PostgresBinaries;
  runAs: RunAs | undefined;
  dataDir: string;
  port: number;
  log: Logger;
  signal?: AbortSignal;
}): Promise<Postmaster> {
  const { log, signal } = opts;
  signal?.throwIfAborted();
  const child = spawn(
    opts.binaries.postgres,
    ['-D', opts.dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-k', '/tmp'],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'], ...opts.runAs },
  );
  const recent: string[] = [];
  let ready = false;
  let stopping = false;
  let onReady: (() => void) | undefined;
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      log.debug(line);
      recent.push(line);
      if (recent.length > 20) recent.shift();
      if (!ready && line.includes(READY)) {
        ready = true;
        onReady?.();
      }
    }
  });
  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, sig) => resolve({ code, sig }));
    child.once('error', () => resolve({ code: null, sig: null }));
  });
  const pid = child.pid;
  if (pid === undefined) {
    await exited;
    throw new Error(`Embedded PostgreSQL could not be started (${opts.binaries.postgres})`);
  }
  track(pid);
  void exited.then(({ code, sig }) => {
    live.delete(pid);
    if (ready && !stopping)
      log.error(
        { code, signal: sig },
        'Embedded PostgreSQL exited on its own; database calls fail from now on',
      );
  });
  const postmaster: Postmaster = {
    pid,
    async stop() {
      stopping = true;
      signalPid(pid, 'SIGINT');
      await exited;
    },
  };
  const unsubscribe = onAbort(signal, () => void postmaster.stop());
  try {
    await new Promise<void>((resolve, reject) => {
      onReady = resolve;
      if (ready) resolve();
      void exited.then(({ code, sig }) => {
        if (signal?.aborted) return reject(signal.reason as Error);
        const fatal = recent.filter((l) => /FATAL|PANIC|ERROR/.test(l));
        reject(
          new Error(
            `Embedded PostgreSQL stopped while starting (code ${String(code)}, signal ${String(sig)}): ` +
              (fatal.length ? fatal : recent.slice(-3)).join(' | '),
          ),
        );
      });
    });
  } finally {
    unsubscribe();
  }
  return postmaster;
}

/** A postmaster running on `dataDir` (its postmaster.pid names a live postgres process), if any. */
export function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  // A stale pid file whose pid now belongs to another program: PostgreSQL overwrites such a file on start.
  const comm = `/proc/${pid}/comm`;
  if (existsSync('/proc/self') && (!existsSync(comm) || readFileSync(comm, 'utf8').trim() !== 'postgres'))
    return undefined;
  return { pid, port };
}

/** Takes over a postmaster some earlier process left running, to stop it like one of ours. */
export function adoptPostmaster(pid: number): Postmaster {
  track(pid);
  return {
    pid,
    async stop() {
      signalPid(pid, 'SIGINT');
      while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
      live.delete(pid);
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
