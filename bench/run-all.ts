// `npm run bench`: runs every benchmark at a small default size (a full run takes a few minutes), collects
// the BENCH_RESULT lines each one prints, and prints one summary table: median over the runs, the machine,
// the load generator's CPU where a benchmark reports it, and each target met or its gap.
// Options: --only=fanout,joins   --runs=3 (for the benches marked cheap)   --full (each bench's own defaults)
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './support/measure.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Bench {
  key: string;
  script: string;
  /** Arguments for the quick default run; --full runs the script's own defaults. */
  quick: string[];
  /** Cheap enough to repeat for a median. */
  cheap: boolean;
  /** Arguments for both the quick and the --full run (a mode of the script rather than a size). */
  always?: string[];
}

const BENCHES: Bench[] = [
  // The fan-out bench alternates floor and ours three times itself and reports the median round's ratio.
  { key: 'fanout', script: 'bench/fanout.bench.ts', quick: ['3000', '5'], cheap: false },
  { key: 'session-memory', script: 'bench/session-memory.bench.ts', quick: ['1000'], cheap: true },
  { key: 'fanout-redis', script: 'bench/fanout.bench.ts', quick: ['3000', '5', 'redis'], cheap: false },
  { key: 'cross-node', script: 'bench/cross-node.bench.ts', quick: ['300', '5'], cheap: false },
  { key: 'joins', script: 'bench/socket-joins.bench.ts', quick: ['1000', '40', '1'], cheap: true },
  // The same path in an open loop: ack latency at a rate this machine sustains, not at saturation.
  {
    key: 'joins-open',
    script: 'bench/socket-joins.bench.ts',
    quick: ['1000', '40', '1'],
    always: ['--rate=10000'],
    cheap: true,
  },
  { key: 'join-batch', script: 'bench/join-batch.bench.ts', quick: [], cheap: false },
  // The target is stated for 1M participants; smaller imports are dominated by the scan (~40 s in all).
  { key: 'legacy-import', script: 'bench/legacy-import.bench.ts', quick: ['1000000'], cheap: false },
  { key: 'draw-protocol', script: 'bench/draw-protocol.bench.ts', quick: ['200000'], cheap: false },
  // Three draws in one server (the bench reports their median); each loads its own 1M giveaway (~15 s).
  { key: 'draw-1m', script: 'bench/draw-1m.bench.ts', quick: ['1000000', '3'], cheap: false },
  { key: 'sdk-verify', script: 'bench/sdk-verify.bench.ts', quick: ['200000'], cheap: false },
];

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k = '', v = 'true'] = a.replace(/^--/, '').split('=');
    return [k, v];
  }),
);
const only = args.get('only')?.split(',');
const runs = Number(args.get('runs') ?? 3);
const full = args.has('full');

interface Outcome {
  bench: string;
  results: BenchResult[];
  seconds: number;
  error?: string;
}

async function runOnce(bench: Bench): Promise<Outcome> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', bench.script, ...(full ? [] : bench.quick), ...(bench.always ?? [])],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const results = out
    .split('\n')
    .filter((l) => l.startsWith('BENCH_RESULT '))
    .map((l) => JSON.parse(l.slice('BENCH_RESULT '.length)) as BenchResult);
  const seconds = (performance.now() - started) / 1000;
  const lines = err.trim().split('\n');
  // Node ends a crash with its version line; the error itself is the last line naming one.
  const tail = (lines.findLast((l) => /Error|error/.test(l)) ?? lines.at(-1) ?? '').slice(0, 160);
  if (code !== 0) {
    // The servers' stderr is inherited into the same stream: keep all of it to see which process failed.
    const log = join(mkdtempSync(join(tmpdir(), 'bench-')), `${bench.key}.stderr`);
    writeFileSync(log, err);
    return { bench: bench.key, results, seconds, error: `exit ${code}: ${tail} (stderr: ${log})` };
  }
  if (results.length === 0) return { bench: bench.key, results, seconds, error: 'printed no BENCH_RESULT' };
  return { bench: bench.key, results, seconds };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
}

function verdict(r: BenchResult, value: number): string {
  if (r.target === undefined) return '—';
  const met = r.better === 'lower' ? value <= r.target : value >= r.target;
  if (met) return 'met';
  // A target of zero (e.g. bytes a node must not receive) has no ratio: show the excess.
  if (r.target === 0) return `gap +${value}`;
  const gap = r.better === 'lower' ? value / r.target : r.target / value;
  return `gap ×${gap.toFixed(2)}`;
}

const load0 = loadavg();
const rows: Record<string, Record<string, string | number>> = {};
const failures: string[] = [];
for (const bench of BENCHES) {
  if (only && !only.includes(bench.key)) continue;
  const n = bench.cheap ? runs : 1;
  const outcomes: Outcome[] = [];
  for (let i = 0; i < n; i++) {
    process.stderr.write(`[bench] ${bench.key} run ${i + 1}/${n} …\n`);
    const o = await runOnce(bench);
    process.stderr.write(`[bench] ${bench.key} ${o.error ?? 'ok'} (${o.seconds.toFixed(0)} s)\n`);
    if (o.error) failures.push(`${bench.key}: ${o.error}`);
    outcomes.push(o);
  }
  const names = [...new Set(outcomes.flatMap((o) => o.results.map((r) => r.name)))];
  for (const name of names) {
    const all = outcomes.flatMap((o) => o.results.filter((r) => r.name === name));
    const value = median(all.map((r) => r.value));
    const at = all.find((r) => r.value === value) ?? all[0];
    if (!at) continue;
    rows[name] = {
      median: value,
      unit: at.unit,
      runs: all.length,
      target: at.target === undefined ? '—' : `${at.better === 'lower' ? '≤' : '≥'} ${at.target}`,
      status: verdict(at, value),
      detail: Object.entries(at.detail ?? {})
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    };
  }
}

const cpu = cpus();
console.log(
  `\nbench summary — ${new Date().toISOString()} — ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load ${load0
      .map((l) => l.toFixed(1))
      .join('/')} at start, ${loadavg()
      .map((l) => l.toFixed(1))
      .join('/')} at end${full ? '' : ' (quick sizes; --full for the issue sizes)'}`,
);
console.table(rows);
if (failures.length > 0) console.log(`not measured:\n  ${failures.join('\n  ')}`);
