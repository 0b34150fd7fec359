// SLOW, real processes: `node --import tsx server/main.ts` on embedded PostgreSQL, stopped by SIGTERM or
// SIGINT sent to the process or to its whole process group (as Ctrl-C and supervisors do) at chosen points of
// its life: during the first initdb, during migrations, just after Ready, idle, under load, and at random
// moments of boot. Every stop exits 0 within the bound, with nothing unhandled and no PostgreSQL left, and the
// next start comes up Ready on whatever the stop left. One cluster is shared (one initdb); each case that
// needs a first boot uses a database of its own in it (POSTGRES_DB).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Idle (and boot) stops must be this quick; under load the bound is SHUTDOWN_TIMEOUT. */
const STOP_MS = 3_000;
const SHUTDOWN_TIMEOUT_MS = 6_000;
const NOTHING_UNHANDLED = /unhandled|uncaught|throw er;|Emitted 'error' event|"level":60|Boot failed/i;

interface Node {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first line matching `pattern`, as soon as it is printed. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` to the process or to its process group; resolves with the exit code and the delay. */
  stop(signal: NodeJS.Signals, target: 'process' | 'group'): Promise<{ code: number | null; ms: number }>;
  exited: Promise<number | null>;
}

/** Detached, so the node leads its own process group, which a group signal then reaches as a whole. */
function startNode(env: Record<string, string>): Node {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SERVER_PORT: '0',
      REALTIME_PORT: '0',
      SANDBOX: 'off',
      LOG_FORMAT: 'json',
      SHUTDOWN_TIMEOUT: `${SHUTDOWN_TIMEOUT_MS}ms`,
      ...env,
    },
  });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  // One partial line per stream: a chunk of stderr must not be glued to half a line of stdout.
  const reader = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts.filter(Boolean)) {
        lines.push(line);
        for (const w of waiters) if (w.pattern.test(line)) w.resolve(line);
      }
    };
  };
  proc.stdout?.on('data', reader());
  proc.stderr?.on('data', reader());
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    lines,
    exited,
    line(pattern, timeoutMs = 60_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          pattern,
          resolve: (l: string) => {
            waiters.delete(waiter);
            clearTimeout(timer);
            resolve(l);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no line ${pattern} within ${timeoutMs} ms; output:\n${lines.join('\n')}`));
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`exited before ${pattern}; output:\n${lines.join('\n')}`));
        });
      });
    },
    async stop(signal, target) {
      const pid = proc.pid;
      if (pid === undefined) throw new Error('not started');
      const sent = Date.now();
      process.kill(target === 'group' ? -pid : pid, signal);
      const code = await exited;
      return { code, ms: Date.now() - sent };
    },
  };
}

/** Processes (postgres, initdb) whose command line names `dir`: none may outlive a stop. */
function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(dir)) found.push(`${pid}: ${cmd}`);
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

/** Stop delays seen, printed at the end (figures for docs/operations.md). */
const delays: number[] = [];

/** The checks every stop passes, whatever the moment. */
async function expectCleanStop(
  node: Node,
  stopped: { code: number | null; ms: number },
  dataDir: string,
  boundMs: number,
): Promise<void> {
  const output = node.lines.join('\n');
  delays.push(stopped.ms);
  // Before main.ts runs (the first tenths of a second: node and the tsx loader starting) no handler exists
  // yet and the signal ends the process itself; nothing was started, so nothing is left either.
  const diedBeforeMain = stopped.code === null && node.lines.length === 0 && node.proc.signalCode !== null;
  if (!diedBeforeMain) expect(stopped.code, output).toBe(0);
  expect(stopped.ms, output).toBeLessThan(boundMs);
  expect(output).not.toMatch(NOTHING_UNHANDLED);
  await expect.poll(() => processesUsing(dataDir), { timeout: 2_000 }).toEqual([]);
}

const dbName = () => `gw_stop_${randomBytes(4).toString('hex')}`;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-stop-'));
  dirs.push(dir);
  return dir;
};

let shared: { DATA_DIR: string; EMBEDDED_PG_PORT: string };
beforeAll(async () => {
  // The one initdb of the file; cases needing a first boot use a database of their own in this cluster.
  shared = { DATA_DIR: tempDir(), EMBEDDED_PG_PORT: String(await freePort()) };
  const node = startNode({ ...shared, LOG_LEVEL: 'info' });
  await node.line(/"msg":"Ready"/, 90_000);
  expect((await node.stop('SIGTERM', 'process')).code).toBe(0);
}, 120_000);
afterAll(() => {
  const sorted = [...delays].sort((a, b) => a - b);
  console.info(`stop delays (ms), ${sorted.length} stops: ${sorted.join(' ')}`);
  for (const dir of dirs) {
    for (const left of processesUsing(dir)) process.kill(Number(left.split(':')[0]), 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('stopping the server at any moment (slow: real processes, embedded PostgreSQL)', () => {
  it('a stop during the first initdb leaves no half-made data directory; the next start creates it', async () => {
    const cases = [
      { signal: 'SIGTERM', target: 'group' },
      { signal: 'SIGINT', target: 'process' },
    ] as const;
    let last = { DATA_DIR: '', EMBEDDED_PG_PORT: '' };
    for (const { signal, target } of cases) {
      const env = { DATA_DIR: tempDir(), EMBEDDED_PG_PORT: String(await freePort()) };
      const node = startNode({ ...env, LOG_LEVEL: 'debug' });
      await node.line(/Creating the embedded PostgreSQL cluster/);
      // Into initdb's own steps (it takes a second or more); the `ok` lines are initdb's progress.
      await node.line(/"msg":"ok"|selecting/);
      const stopped = await node.stop(signal, target);
      await expectCleanStop(node, stopped, env.DATA_DIR, STOP_MS);
      expect(node.lines.join('\n'), `${signal} ${target}`).not.toContain('"fresh":true');
      // Neither a half-made cluster nor initdb's scratch directory stays behind.
      expect(readdirSync(env.DATA_DIR), `${signal} ${target}`).toEqual([]);
      last = env;
    }
    const next = startNode({ ...last, LOG_LEVEL: 'info' });
    await next.line(/"msg":"Ready"/, 90_000);
    expect(next.lines.join('\n')).toContain('"fresh":true');
    await expectCleanStop(next, await next.stop('SIGINT', 'group'), last.DATA_DIR, STOP_MS);
    expect(existsSync(join(last.DATA_DIR, 'pg', 'PG_VERSION'))).toBe(true);
  }, 180_000);

  it('a stop during migrations rolls them back whole; the next start applies them all', async () => {
    const cases = [
      { signal: 'SIGTERM', target: 'group' },
      { signal: 'SIGINT', target: 'process' },
    ] as const;
    for (const { signal, target } of cases) {
      const env = { ...shared, POSTGRES_DB: dbName(), LOG_LEVEL: 'debug' };
      const node = startNode(env);
      await node.line(/### MIGRATION 0001/);
      const stopped = await node.stop(signal, target);
      await expectCleanStop(node, stopped, shared.DATA_DIR, STOP_MS);
      const first = node.lines.find((l) => l.includes('"msg":"Applied migrations"'));

      const next = startNode({ ...env, LOG_LEVEL: 'info' });
      await next.line(/"msg":"Ready"/, 90_000);
      const second = next.lines.find((l) => /"msg":"(Applied migrations|Schema is up to date)"/.test(l));
      // All or nothing: the stop normally lands inside the transaction (nothing applied, all applied now);
      // if it came after the commit, nothing is left to apply. Never a part of them.
      const applied = (line: string | undefined) =>
        line ? ((JSON.parse(line) as { applied?: string[] }).applied ?? []) : [];
      const total = [...applied(first), ...applied(second)];
      expect(total.length, `${signal} ${target}`).toBeGreaterThanOrEqual(9);
      expect(new Set(total).size, `${signal} ${target}`).toBe(total.length);
      expect(applied(first).length === 0 || applied(second).length === 0).toBe(true);
      await expectCleanStop(next, await next.stop('SIGTERM', 'process'), shared.DATA_DIR, STOP_MS);
    }
  }, 180_000);

  it('just after Ready and when idle, a stop exits 0 within 3 s, PostgreSQL stopped last', async () => {
    const points = [
      { at: 'ready', signal: 'SIGINT', target: 'group' },
      { at: 'idle', signal: 'SIGTERM', target: 'group' },
      { at: 'idle', signal: 'SIGTERM', target: 'process' },
    ] as const;
    for (const { at, signal, target } of points) {
      const node = startNode({ ...shared, LOG_LEVEL: 'info' });
      await node.line(/"msg":"Ready"/, 90_000);
      if (at === 'idle') {
        const port = (JSON.parse(await node.line(/"HTTP listening"/)) as { port: number }).port;
        await expect
          .poll(async () => (await fetch(`http://127.0.0.1:${port}/health`)).status, { timeout: 20_000 })
          .toBe(200);
      }
      const stopped = await node.stop(signal, target);
      await expectCleanStop(node, stopped, shared.DATA_DIR, STOP_MS);
      const output = node.lines.join('\n');
      // PostgreSQL goes after everything else: every part logged its stop before it.
      const pgStopped = output.indexOf('Embedded PostgreSQL stopped');
      expect(pgStopped, output).toBeGreaterThan(output.indexOf('"Stopping"'));
      expect(output.indexOf('"msg":"Stopped"'), output).toBeGreaterThan(-1);
    }
  }, 180_000);

  it('under load, a stop drains within SHUTDOWN_TIMEOUT and exits 0', async () => {
    const node = startNode({ ...shared, LOG_LEVEL: 'info' });
    await node.line(/"msg":"Ready"/, 90_000);
    const port = (JSON.parse(await node.line(/"HTTP listening"/)) as { port: number }).port;
    let loading = true;
    let answered = 0;
    const client = async () => {
      while (loading) {
        await fetch(`http://127.0.0.1:${port}/health`)
          .then(async (res) => {
            await res.arrayBuffer();
            answered++;
          })
          .catch(() => (loading = false)); // The server stopped listening.
      }
    };
    const clients = Array.from({ length: 20 }, client);
    await expect.poll(() => answered, { timeout: 20_000 }).toBeGreaterThan(100);
    const stopped = await node.stop('SIGTERM', 'group');
    loading = false;
    await Promise.all(clients);
    await expectCleanStop(node, stopped, shared.DATA_DIR, SHUTDOWN_TIMEOUT_MS);
  }, 120_000);

  it('after a SIGKILL (no chance to clean up), the next start sweeps or adopts what was left, and stops it', async () => {
    // Killed during the first initdb: the next start removes initdb's scratch directory and starts afresh.
    const env = { DATA_DIR: tempDir(), EMBEDDED_PG_PORT: String(await freePort()) };
    const first = startNode({ ...env, LOG_LEVEL: 'debug' });
    await first.line(/running bootstrap script/);
    first.proc.kill('SIGKILL');
    await first.exited;
    const second = startNode({ ...env, LOG_LEVEL: 'info' });
    await second.line(/"msg":"Ready"/, 90_000);
    expect(second.lines.join('\n')).toContain('"fresh":true');
    await expectCleanStop(second, await second.stop('SIGTERM', 'group'), env.DATA_DIR, STOP_MS);
    expect(readdirSync(env.DATA_DIR)).toEqual(['pg']);

    // Killed when up: its PostgreSQL (own process group) outlives it; the next start adopts it, stops it.
    const killed = startNode({ ...shared, LOG_LEVEL: 'info' });
    await killed.line(/"msg":"Ready"/, 90_000);
    killed.proc.kill('SIGKILL');
    await killed.exited;
    expect(processesUsing(shared.DATA_DIR)).not.toEqual([]);
    const adopter = startNode({ ...shared, LOG_LEVEL: 'info' });
    await adopter.line(/"msg":"Ready"/, 90_000);
    expect(adopter.lines.join('\n')).toContain('Adopting an embedded PostgreSQL left running');
    await expectCleanStop(adopter, await adopter.stop('SIGINT', 'process'), shared.DATA_DIR, STOP_MS);
  }, 180_000);

  it('at random moments of boot, a stop exits 0 with nothing left and the next start comes up', async () => {
    const signals = ['SIGTERM', 'SIGINT'] as const;
    const targets = ['group', 'process'] as const;
    for (let round = 0; round < 4; round++) {
      const env = { ...shared, POSTGRES_DB: dbName(), LOG_LEVEL: 'info' };
      const signal = signals[round % 2] ?? 'SIGTERM';
      const target = targets[Math.floor(round / 2) % 2] ?? 'group';
      const node = startNode(env);
      // Anywhere from module loading to just after Ready (a first boot on this machine takes 3 to 8 s).
      const delayMs = Math.floor(Math.random() * 6_000);
      const stopped = await Promise.race([
        new Promise<'exited'>((resolve) => void node.exited.then(() => resolve('exited'))),
        new Promise<'due'>((resolve) => setTimeout(() => resolve('due'), delayMs)),
      ]).then((why) => {
        if (why === 'exited') throw new Error(`exited by itself:\n${node.lines.join('\n')}`);
        return node.stop(signal, target);
      });
      const label = `${signal} to the ${target} after ${delayMs} ms`;
      await expectCleanStop(node, stopped, shared.DATA_DIR, STOP_MS).catch((err: unknown) => {
        throw new Error(`${label}: ${(err as Error).message}`);
      });
      const next = startNode(env);
      await next.line(/"msg":"Ready"/, 90_000);
      await expectCleanStop(next, await next.stop('SIGTERM', 'process'), shared.DATA_DIR, STOP_MS);
    }
  }, 300_000);
});
