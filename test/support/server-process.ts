// Runs server/main.ts as a real child process (as `npm start` does), for boot, signal and cluster tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  proc: ChildProcess;
  /** Every line the process printed (stdout and stderr). */
  lines: string[];
  httpPort(): number;
  realtimePort(): number;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exit(): Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnServer(env: Record<string, string | undefined>, cwd = ROOT): ServerProcess {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('server/main.ts', `file://${ROOT}/`))],
    {
      cwd,
      // SANDBOX off unless a test asks: it would write DATA_DIR/sandbox-secret (.data/ in the worktree).
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SERVER_PORT: '0',
        REALTIME_PORT: '0',
        SANDBOX: 'off',
        // Sized so that two test files with three servers each stay under PostgreSQL's 100 connections.
        MAX_OPEN_CONNS: '8',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
  const onLine = (line: string) => {
    if (!line) return;
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  // Line by line per stream: a chunk can end mid-line, and a log line split across two chunks would
  // otherwise never match what a test waits for.
  for (const stream of [proc.stdout, proc.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
  }
  const exited = once(proc, 'exit').then(([code]) => code as number | null);
  const closed = once(proc, 'close').catch(() => undefined);
  const handle: ServerProcess = {
    proc,
    lines,
    httpPort() {
      const line = lines.find((l) => l.includes('"HTTP listening"'));
      if (!line) throw new Error('server has not reported its HTTP port');
      return (JSON.parse(line) as { port: number }).port;
    },
    realtimePort() {
      const line = lines.find((l) => l.includes('"Realtime listening"'));
      if (!line) throw new Error('server has not reported its realtime port');
      return (JSON.parse(line) as { port: number }).port;
    },
    waitForLine(pattern, timeoutMs = 20_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        // Not a sleep: the deadline of the wait for the line.
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern}; output:\n${lines.join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        // 'close', not 'exit': the process's last lines may still be in the pipes when it exits.
        void closed.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited while waiting for ${pattern}; output:\n${lines.join('\n')}`));
        });
      });
    },
    exit: () => exited,
    async kill(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
  return handle;
}
