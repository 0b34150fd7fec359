// Fan-out against the floor, in one run: N websocket watchers (the C client bench/wsfan.c, so the load
// generator is not the bottleneck) in one giveaway room fed at 10 Hz, first on raw uWebSockets.js publishing
// the same frames to one topic (bench/support/raw-uws-server.mjs, no Socket.IO: the floor), then on our
// server. Figure: deliveries per server CPU-second (user + system of the server's process tree, /proc),
// its ratio to the floor (target ≥ 0.9), first→last arrival spread, and RSS per idle connection.
// Run: npx tsx bench/fanout.bench.ts [watchers=5000] [seconds=8] [memory|redis]; BENCH_ROUNDS=n (default 3)
// alternations of floor and ours against the same two servers, the ratio being the median of the rounds'.
// BENCH_HEAP_SNAPSHOTS=<dir>: memory only (no floor run): the server writes a heap snapshot into <dir> before
// the watchers connect and one once they are idle; diff them with bench/support/heap-diff.ts. The snapshots
// stop the server for seconds, so the fan-out figures of such a run mean nothing.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/free-port.ts';
import { freshDatabase, machine, startServer } from './support/bench-env.ts';
import {
  buildC,
  heapSnapshot,
  report,
  runGenerator,
  threadCpu,
  threadCpuDelta,
  treeCpuSeconds,
  treeRssBytes,
} from './support/measure.ts';

const [watchersArg = '5000', secondsArg = '8', adapter = 'memory'] = process.argv.slice(2);
const watchers = Number(watchersArg);
const seconds = Number(secondsArg);
const wsfan = buildC('wsfan');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const snapshotDir = process.env.BENCH_HEAP_SNAPSHOTS;
if (snapshotDir) {
  mkdirSync(snapshotDir, { recursive: true });
  process.env.BENCH_NODE_FLAGS = `${process.env.BENCH_NODE_FLAGS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}`;
}

interface Run {
  deliveries: number;
  cpu: number;
  perCpuSecond: number;
  spreadP50: number;
  spreadP99: number;
  rssPerConnKB: number;
  generatorCpu: number;
  frames: number;
  bytesPerFrame: number;
}

/** Runs wsfan against a server pid and measures that pid's tree CPU from READY to the end. */
async function measure(pid: number, port: number, giveawayId: string, onReady: () => void): Promise<Run> {
  const rss0 = treeRssBytes(pid);
  let cpu0 = 0;
  let rssIdle = 0;
  let threads0 = new Map<string, { user: number; system: number }>();
  let cpu = NaN;
  let stopAt = 0;
  const out = await runGenerator(
    wsfan,
    ['127.0.0.1', String(port), giveawayId, String(watchers), String(seconds)],
    () => {
      rssIdle = treeRssBytes(pid);
      cpu0 = treeCpuSeconds(pid);
      threads0 = threadCpu(pid);
      onReady();
      // Read the CPU just before the generator closes its connections, so the disconnect storm is not
      // counted as fan-out work.
      stopAt = setTimeout(
        () => {
          cpu = treeCpuSeconds(pid) - cpu0;
          if (process.env.BENCH_THREADS) console.table(threadCpuDelta(threads0, threadCpu(pid)));
        },
        seconds * 1000 - 100,
      ) as unknown as number;
    },
  );
  void stopAt;
  const deliveries = out.deliveries ?? 0;
  return {
    deliveries,
    cpu,
    perCpuSecond: deliveries / cpu,
    spreadP50: out.spread_p50_ms ?? NaN,
    spreadP99: out.spread_p99_ms ?? NaN,
    rssPerConnKB: (rssIdle - rss0) / watchers / 1024,
    generatorCpu: out.cpu_s ?? NaN,
    frames: out.frames ?? NaN,
    bytesPerFrame: (out.frame_bytes ?? NaN) / (out.frames ?? NaN),
  };
}

/** A server under test, started once and measured in several rounds. */
interface Target {
  pid: number;
  port: number;
  giveawayId: string;
  /** Called once the watchers are connected: start feeding the room (the floor feeds itself). */
  onReady(): void;
  /** Stop feeding once a round ended. */
  pause(): Promise<void>;
  stop(): Promise<void>;
}

async function startFloor(): Promise<Target> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['bench/support/raw-uws-server.mjs', String(port), '10'], {
    cwd: ROOT,
    env: { ...process.env, NODE_PATH: `${ROOT}node_modules` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(proc.stdout, 'data');
  return {
    pid: proc.pid ?? 0,
    port,
    giveawayId: '00000000-0000-0000-0000-000000000001',
    onReady: () => undefined,
    pause: () => Promise.resolve(),
    async stop() {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

async function startOurs(): Promise<Target> {
  const db = await freshDatabase('bench_fanout');
  await db.pool.query(`INSERT INTO users (id) VALUES (1)`);
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
     VALUES (1, 'fanout', now(), now() + interval '1 day', 86400, 1) RETURNING id`,
  );
  const id = rows[0]?.id ?? '';
  const server = await startServer({
    DATABASE_URL: db.url,
    RATE_LIMIT: 'off',
    ROLES: 'api,realtime',
    ...(adapter === 'redis'
      ? { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `bench${process.pid}:` }
      : {}),
  });
  let feeding = false;
  let count = 0;
  let fed: Promise<void> = Promise.resolve();
  // 10 Hz of committed count changes, as a busy giveaway produces after the relay's coalescing.
  const feed = async () => {
    while (feeding) {
      count++;
      await db.pool.query(`UPDATE giveaways SET participants_count = $2 WHERE id = $1`, [id, count]);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const pause = async () => {
    feeding = false;
    await fed;
  };
  return {
    pid: server.proc.pid ?? 0,
    port: server.realtimePort,
    giveawayId: id,
    onReady() {
      feeding = true;
      fed = feed();
    },
    pause,
    async stop() {
      await pause();
      await server.stop();
      await db.drop();
    },
  };
}

async function measureTarget(t: Target): Promise<Run> {
  try {
    return await measure(t.pid, t.port, t.giveawayId, () => t.onReady());
  } finally {
    await t.pause();
  }
}

async function heapSnapshots(): Promise<void> {
  const t = await startOurs();
  try {
    const before = await heapSnapshot(t.pid, snapshotDir ?? '');
    let idle: Promise<string> | undefined;
    const o = await measure(t.pid, t.port, t.giveawayId, () => {
      idle = heapSnapshot(t.pid, snapshotDir ?? '');
    });
    console.log(`heap snapshots: npx tsx bench/support/heap-diff.ts ${before} ${await idle} ${watchers}`);
    console.log(`RSS per idle connection: ${o.rssPerConnKB.toFixed(2)} KB (${watchers} watchers)`);
  } finally {
    await t.stop();
  }
}

if (snapshotDir) {
  await heapSnapshots();
  process.exit(0);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
};
// Rounds alternate floor and ours against the same two servers: the machine's speed drifts by ±10 % from
// one minute to the next (a run of identical code measured 0.80–1.005 × the floor), so the figure is the
// median of each round's own ratio rather than one floor run against one of ours.
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const floorServer = await startFloor();
const ourServer = await startOurs().catch(async (err: unknown) => {
  await floorServer.stop();
  throw err;
});
const floors: Run[] = [];
const oursRuns: Run[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    floors.push(await measureTarget(floorServer));
    oursRuns.push(await measureTarget(ourServer));
  }
} finally {
  await Promise.all([floorServer.stop(), ourServer.stop()]);
}
const ratios = oursRuns.map((o, r) => o.perCpuSecond / (floors[r] as Run).perCpuSecond);
const ratio = median(ratios);
const f = floors[0] as Run;
const o = oursRuns[0] as Run;
console.log(
  `fan-out — ${watchers} watchers, one room, ${seconds} s at 10 Hz, ${adapter} adapter (${machine()})`,
);
const row = (r: Run) => ({
  deliveries: r.deliveries,
  'server CPU s': +r.cpu.toFixed(2),
  'deliveries per server CPU-s': Math.round(r.perCpuSecond),
  'spread p50 ms': r.spreadP50,
  'spread p99 ms': r.spreadP99,
  'RSS per idle conn KB': +r.rssPerConnKB.toFixed(2),
  'generator CPU s': r.generatorCpu,
  'frames received': r.frames,
  'bytes/frame': +r.bytesPerFrame.toFixed(1),
});
console.table(
  Object.fromEntries(
    floors.flatMap((fr, r) => [
      [`round ${r + 1} raw uWS (floor)`, row(fr)],
      [`round ${r + 1} ours (${(ratios[r] as number).toFixed(3)} × floor)`, row(oursRuns[r] as Run)],
    ]),
  ),
);
// RSS per idle connection is the first round's: a fresh process (later rounds reuse the memory it kept).
const suffix = adapter === 'redis' ? ' (redis sharded)' : '';
report({
  name: `fan-out: ours / floor${suffix}`,
  value: +ratio.toFixed(3),
  unit: '× floor',
  target: 0.9,
  better: 'higher',
  detail: {
    watchers,
    rounds,
    'round ratios': ratios.map((x) => x.toFixed(3)).join(' '),
    floor: Math.round(median(floors.map((x) => x.perCpuSecond))),
    ours: Math.round(median(oursRuns.map((x) => x.perCpuSecond))),
    'generator CPU s': o.generatorCpu,
  },
});
report({
  name: `fan-out spread p99${suffix}`,
  value: median(oursRuns.map((x) => x.spreadP99)),
  unit: 'ms',
  target: 150,
  better: 'lower',
  detail: {
    watchers,
    floor: median(floors.map((x) => x.spreadP99)),
    p50: median(oursRuns.map((x) => x.spreadP50)),
  },
});
report({
  name: `RSS per idle connection${suffix}`,
  value: +o.rssPerConnKB.toFixed(2),
  unit: 'KB',
  target: 6,
  better: 'lower',
  detail: { watchers, floor: +f.rssPerConnKB.toFixed(2) },
});
