// Draw protocol timing at scale: freezing 1M entrants (sort + leaves + Merkle tree) and drawing 1000 winners
// + 100 reserves, on one thread (the server builds the tree on worker threads: bench/draw-1m.bench.ts).
// Run with `npx tsx bench/draw-protocol.bench.ts [entrants]`. Headline: freeze + select + bundle, target 1 s per
// million entrants (scaled to the size run).
import * as crypto from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  DrawSelector,
  buildMerkleTree,
  buildProofBundle,
  deriveSeed,
  freezeEntrants,
  generateServerSeed,
  hashLeaves,
  verifyProofBundle,
  type EntrantInput,
  type FrozenEntrants,
} from '../server/draws/protocol/index.ts';
import { report } from './support/measure.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const WINNERS = 1000;
const RESERVES = 100;
const RUNS = 3;

// Telegram-like ids (~10 digits), unique by construction, then shuffled so the radix sort does real work.
function makeEntrants(): EntrantInput[] {
  const out: EntrantInput[] = new Array<EntrantInput>(N);
  for (let i = 0; i < N; i++) {
    out[i] = {
      user_id: 100_000_000 + i * 7919 + Math.floor(Math.random() * 7919),
      weight: 1 + Math.floor(Math.random() * 5),
    };
  }
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as EntrantInput, out[i] as EntrantInput];
  }
  return out;
}

// CPU time beside wall time: on the shared two cores wall time mostly measures the neighbours.
function time<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, value };
}

const medians = new Map<string, number>();
const cpuMedians = new Map<string, number>();

function bench<T>(label: string, fn: () => T): T {
  const samples: number[] = [];
  const cpu: number[] = [];
  let value: T | undefined;
  for (let r = 0; r < RUNS; r++) {
    const res = time(fn);
    samples.push(res.ms);
    cpu.push(res.cpuMs);
    value = res.value;
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  rows.push({
    step: label,
    'min ms': round(samples[0]),
    'median ms': round(samples[Math.floor(RUNS / 2)]),
    'min CPU ms': round(cpu[0]),
    'median CPU ms': round(cpu[Math.floor(RUNS / 2)]),
  });
  medians.set(label, round(samples[Math.floor(RUNS / 2)]));
  cpuMedians.set(label, round(cpu[Math.floor(RUNS / 2)]));
  return value as T;
}

const round = (ms: number | undefined): number => Math.round((ms ?? NaN) * 10) / 10;
const rows: {
  step: string;
  'min ms': number;
  'median ms': number;
  'min CPU ms': number;
  'median CPU ms': number;
}[] = [];

const shuffled = makeEntrants();
const frozen: FrozenEntrants = bench(`freeze ${N} shuffled (validate+sort+leaves+tree)`, () =>
  freezeEntrants(shuffled),
);
const sorted = Array.from({ length: N }, (_, i) => ({
  user_id: Number((BigInt(frozen.idHi[i] ?? 0) << 32n) | BigInt(frozen.idLo[i] ?? 0)),
  weight: frozen.weights[i] ?? 1,
}));
bench(`freeze ${N} pre-sorted`, () => freezeEntrants(sorted));
const leaves = bench('  of which: hash leaves', () => hashLeaves(frozen.idHi, frozen.idLo, frozen.weights));
bench('  of which: Merkle tree over leaves', () => buildMerkleTree(leaves));

// The protocol needs one hash per leaf and one per inner node (2n − 1 in all); this is their bare cost here.
const probe = Buffer.alloc(65, 1);
bench(`floor: ${2 * N - 1} bare node:crypto SHA-256 calls`, () => {
  for (let i = 0; i < 2 * N - 1; i++) crypto.hash('sha256', probe, 'binary');
});

const serverSeed = generateServerSeed();
const seed = deriveSeed({ serverSeed, giveawayId: 'bench', entrantsRoot: frozen.root });
bench(`select ${WINNERS} winners + ${RESERVES} reserves (incl. Fenwick build)`, () =>
  new DrawSelector({ entrants: frozen, seed }).draw(WINNERS, RESERVES),
);
const bundle = bench('buildProofBundle (seed + selection + bundle)', () =>
  buildProofBundle({
    giveawayId: 'bench',
    serverSeed,
    beacon: null,
    entrants: frozen,
    winnersCount: WINNERS,
    reservesCount: RESERVES,
  }),
);
const protocolMs = [...medians]
  .filter(([label]) => label.startsWith(`freeze ${N} shuffled`) || label.startsWith('buildProofBundle'))
  .reduce((sum, [, ms]) => sum + ms, 0);
const check = bench('verifyProofBundle (frozen entrants given)', () => verifyProofBundle(bundle, frozen));
if (!check.ok) throw new Error(`bench bundle does not verify: ${JSON.stringify(check.problems)}`);

console.log(
  `draw protocol v1 bench — node ${process.version}, ${N} entrants, weights 1..5, ${RUNS} runs each`,
);
console.table(rows);
report({
  name: `draw protocol ${N / 1e6}M shuffled: freeze + select + bundle, one thread`,
  value: Math.round(protocolMs),
  unit: 'ms',
  target: Math.round(N / 1000),
  better: 'lower',
  detail: Object.fromEntries([
    ...[...medians].map(([label, ms]) => [label.trim().replace(/\s*\(.*\)$/, ''), ms]),
    ...[...cpuMedians].map(([label, ms]) => [`${label.trim().replace(/\s*\(.*\)$/, '')} CPU`, ms]),
    ['load', loadavg()[0]?.toFixed(1) ?? '?'],
  ]),
});
