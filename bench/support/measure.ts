// Measuring helpers shared by the benchmarks: CPU and RSS of a whole process tree (from /proc, so child
// processes such as cluster workers count), building the C load generators, and the BENCH_RESULT line
// through which every benchmark hands its figures to bench/run-all.ts.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const TICKS = 100;

function stat(pid: number): { ppid: number; cpu: number; rssPages: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(f[1]),
      cpu: (Number(f[11]) + Number(f[12])) / TICKS,
      rssPages: Number(f[21]),
    };
  } catch {
    return undefined;
  }
}

/** The pid and every descendant still alive. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(pid);
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() ?? 0;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** user + system CPU seconds of a process and its live descendants. */
export function treeCpuSeconds(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + (stat(pid)?.cpu ?? 0), 0);
}

/** Resident set size in bytes of a process and its live descendants. */
export function treeRssBytes(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + (stat(pid)?.rssPages ?? 0) * 4096, 0);
}

/** Compiles one of bench/*.c into a temporary directory (at bench time; nothing binary is committed). */
export function buildC(name: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), name);
  execFileSync('gcc', ['-O2', '-o', out, join(BENCH_DIR, `${name}.c`)], { stdio: 'inherit' });
  return out;
}

/** Runs a C generator, calls onReady when it prints READY, and returns its last stdout line as key=value. */
export async function runGenerator(
  bin: string,
  args: string[],
  onReady: () => void,
): Promise<Record<string, number>> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const before = out;
    out += chunk.toString();
    if (!before.includes('READY') && out.includes('READY')) onReady();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${bin} exited with ${code}`);
  const last = out.trim().split('\n').at(-1) ?? '';
  return Object.fromEntries(
    last.split(' ').map((kv) => {
      const [k = '', v = ''] = kv.split('=');
      return [k, Number(v)];
    }),
  );
}

export interface BenchResult {
  /** Row name in the summary table. */
  name: string;
  /** The headline figure and its unit. */
  value: number;
  unit: string;
  /** Target, and whether higher or lower is better. */
  target?: number;
  better?: 'higher' | 'lower';
  /** Secondary figures worth printing. */
  detail?: Record<string, number | string>;
}

/** One machine-readable line per headline figure; bench/run-all.ts collects them. */
export function report(result: BenchResult): void {
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
}

/** CPU seconds per thread (name → user/system) of a process tree; BENCH_THREADS=1 prints where CPU went. */
export function threadCpu(root: number): Map<string, { user: number; system: number }> {
  const out = new Map<string, { user: number; system: number }>();
  for (const pid of processTree(root)) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
        const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
        out.set(`${pid}/${tid} ${name}`, { user: Number(f[11]) / TICKS, system: Number(f[12]) / TICKS });
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return out;
}

export function threadCpuDelta(
  before: Map<string, { user: number; system: number }>,
  after: Map<string, { user: number; system: number }>,
): Record<string, { user: number; system: number }> {
  const rows: Record<string, { user: number; system: number }> = {};
  for (const [k, v] of after) {
    const b = before.get(k) ?? { user: 0, system: 0 };
    const d = { user: +(v.user - b.user).toFixed(2), system: +(v.system - b.system).toFixed(2) };
    if (d.user + d.system > 0) rows[k] = d;
  }
  return rows;
}

/**
 * Asks a server started with `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=<dir>` for a heap snapshot and
 * waits until the file is complete (its size stops changing).
 */
export async function heapSnapshot(pid: number, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  let file = '';
  let size = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    file ||= readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.heapsnapshot')) ?? '';
    if (!file) continue;
    const now = statSync(join(dir, file)).size;
    if (now > 0 && now === size) return join(dir, file);
    size = now;
  }
}

/** CPU seconds of each PostgreSQL backend serving the pool's database (but not the asking one), by pid. */
export async function postgresCpu(pool: pg.Pool): Promise<Map<number, number>> {
  const { rows: backends } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  const out = new Map<number, number>();
  for (const { pid } of backends) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // a backend that ended meanwhile
    }
  }
  return out;
}

/** CPU used between two samples by the backends alive at the second (new ones count from zero). */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, cpu] of after) sum += cpu - (before.get(pid) ?? 0);
  return sum;
}
