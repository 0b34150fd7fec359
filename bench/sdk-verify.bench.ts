// The SDK's browser-side verifier at scale: verifyDraw over 1M entrants (entrant root with its pure-JS SHA-256,
// seed, stream, weighted selection with exclusions, rerolls), the budget being 5 s in a browser. The bundle is
// made by the server's protocol module. Run with `npx tsx bench/sdk-verify.bench.ts [entrants]`.
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  applyReroll,
  buildProofBundle,
  canonicalEntrantList,
  freezeEntrants,
  generateServerSeed,
  type RandomProofBundle,
} from '../server/draws/protocol/index.ts';
import { verifyDraw } from '../client-sdk/src/index.ts';
import { entrantColumns } from '../client-sdk/src/verify/entrants.ts';
import { report as benchResult } from './support/measure.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const WINNERS = 1000;
const RESERVES = 100;
const RUNS = 3;
const BUDGET_MS = 5_000;

// Wall time and CPU time: on a shared, loaded machine the wall time mostly measures the wait for a core, while
// the process's CPU time (all its threads, GC included) is what the same work costs on an idle one.
const rows: { step: string; 'min ms': number; 'median ms': number; 'cpu median ms': number }[] = [];
const round = (ms: number | undefined): number => Math.round((ms ?? NaN) * 10) / 10;

async function bench<T>(label: string, fn: () => T | Promise<T>): Promise<T> {
  const samples: number[] = [];
  const cpu: number[] = [];
  let value: T | undefined;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    value = await fn();
    const c1 = process.cpuUsage(c0);
    samples.push(performance.now() - t0);
    cpu.push((c1.user + c1.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mid = Math.floor(RUNS / 2);
  rows.push({
    step: label,
    'min ms': round(samples[0]),
    'median ms': round(samples[mid]),
    'cpu median ms': round(cpu[mid]),
  });
  return value as T;
}

// Telegram-like ids (~10 digits), unique by construction, weights 1..5, in canonical order as the server serves them.
const frozen = freezeEntrants(
  Array.from({ length: N }, (_, i) => ({ user_id: 100_000_000 + i * 7919 + (i % 7), weight: 1 + (i % 5) })),
);
const entrants = canonicalEntrantList(frozen);
const serverSeed = generateServerSeed();
const first = buildProofBundle({
  giveawayId: 'bench',
  serverSeed,
  beacon: null,
  entrants: frozen,
  winnersCount: WINNERS,
  reservesCount: RESERVES,
});
let bundle: RandomProofBundle = buildProofBundle({
  giveawayId: 'bench',
  serverSeed,
  beacon: null,
  entrants: frozen,
  winnersCount: WINNERS,
  reservesCount: RESERVES,
  exclusions: first.winners.slice(0, 10).map((w) => ({ user_id: w.user_id, reason: 'not_subscribed' })),
});
for (let i = 0; i < 20; i++) bundle = applyReroll(bundle, frozen, 1 + i, 'unclaimed').bundle;

await bench(`entrant root of ${N} (validate + ${2 * N - 1} SHA-256 in JS)`, () => entrantColumns(entrants));
const report = await bench(
  `verifyDraw: ${N} entrants, ${WINNERS}+${RESERVES} picks, 10 exclusions, 20 rerolls`,
  () => verifyDraw(bundle, entrants),
);
if (!report.ok) throw new Error(`bench bundle does not verify: ${JSON.stringify(report.steps)}`);
const shuffled = [...entrants].reverse();
await bench('verifyDraw with the entrant list in reverse order (sort first)', () =>
  verifyDraw(bundle, shuffled),
);

console.log(`SDK verifier bench — node ${process.version}, ${N} entrants, ${RUNS} runs each`);
console.table(rows);
const wall = rows[1]?.['median ms'] ?? Infinity;
const cost = rows[1]?.['cpu median ms'] ?? Infinity;
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`,
);
benchResult({
  name: `SDK verifyDraw CPU, ${N} entrants`,
  value: cost,
  unit: 'ms CPU',
  target: BUDGET_MS,
  better: 'lower',
  detail: { 'wall ms': wall },
});
console.log(
  `verifyDraw median ${wall} ms wall, ${cost} ms CPU: ${cost <= BUDGET_MS ? 'within' : 'OVER'} the ${BUDGET_MS} ms budget`,
);
