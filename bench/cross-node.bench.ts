// Cross-node delivery (issue 17 §2): three server processes sharing PostgreSQL and Redis (sharded adapter),
// watchers of giveaway G1 on all three nodes, watchers of G2 on nodes A and B only, and the change relay on A.
// Figures:
//  - added latency of a count and of a result (status / drawn): for every event, the arrival at each watcher
//    on B or C minus the median arrival at A's watchers (the relay's node), p50 and p99 (target p99 ≤ 5 ms);
//    and the literal reading, p99 of B/C's latency minus p99 of A's, both from the event's first
//    arrival at A (printed and in the report's detail);
//  - what node C, which has no watcher of G2, receives of G2: bytes on C's adapter subscription (TCP
//    bytes_received of its Redis connection, from `ss`) while only G2 changes, its shard-channel subscribers
//    (PUBSUB SHARDNUMSUB) and G2 frames on C's sockets (target 0 bytes).
// All watchers live in one process (bench/wswatch.c, the Socket.IO websocket protocol in C), so every arrival
// is read on one clock (CLOCK_MONOTONIC), and frames are decoded after the run. A Node client was tried
// first: at ~10 µs per frame in one event loop, 900 frames per event made A's own spread around its median
// (the measurement floor, printed) 24–54 ms on the shared box; the C swarm's floor is a few ms.
// Run: npx tsx bench/cross-node.bench.ts [watchersPerNode=300] [seconds=10]
import { execFileSync, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freshDatabase, machine, percentile, startServer, type ServerHandle } from './support/bench-env.ts';
import { buildC, report } from './support/measure.ts';

const [perNodeArg = '300', secondsArg = '10'] = process.argv.slice(2);
const perNode = Number(perNodeArg);
const seconds = Number(secondsArg);
/** G2's watchers on A and B: enough to make its channel live, few enough to keep the client loop free. */
const g2PerNode = Math.max(10, Math.round(perNode / 5));
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY_PREFIX = `benchxn${process.pid}:`;
const LEADER_LINE = 'relays changes (leader)';
/** The name server/platform/realtime/adapter.ts gives the adapter's subscriber connection. */
const ADAPTER_SUB = 'giveaway-server:adapter-sub';
const NODES = ['A', 'B', 'C'] as const;
const wswatch = buildC('wswatch');
type NodeName = (typeof NODES)[number];

const servers: ServerHandle[] = [];
const deadline = setTimeout(
  () => {
    console.error('cross-node bench: overall timeout, giving up');
    for (const s of servers) s.proc.kill('SIGKILL');
    process.exit(2);
  },
  (seconds + 240) * 1000,
);
deadline.unref();

interface Arrival {
  node: NodeName;
  t: number;
  frame: string;
}

/** The watcher swarm (bench/wswatch.c): resolves once every watcher is subscribed. */
async function startWatchers(
  groups: string[],
): Promise<{ stop(): Promise<{ arrivals: Arrival[]; cpu: number }>; kill(): void }> {
  const child = spawn(wswatch, ['127.0.0.1', ...groups], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await Promise.race([
    until('every watcher subscribed', () => out.includes('READY\n'), 180_000),
    exited.then((code) => Promise.reject(new Error(`wswatch exited with ${code}`))),
  ]);
  return {
    kill: () => child.kill('SIGKILL'),
    async stop() {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw new Error(`wswatch exited with ${code}`);
      const lines = out
        .slice(out.indexOf('READY\n') + 6)
        .trim()
        .split('\n');
      const summary = Object.fromEntries(
        (lines.pop() ?? '').split(' ').map((kv) => kv.split('=', 2) as [string, string]),
      );
      const arrivals = lines.map((line) => {
        const [node = '', t = '', ...frame] = line.split(' ');
        return { node: node as NodeName, t: Number(t), frame: frame.join(' ') };
      });
      return { arrivals, cpu: Number(summary.cpu_recording_s) };
    },
  };
}

/** Per node: the local port of its adapter subscriber connection to Redis, and its shard subscriptions. */
async function adapterSubscriptions(
  redis: Redis,
  pids: Map<number, NodeName>,
): Promise<Map<NodeName, { port: number; ssub: number }>> {
  const byPort = new Map<number, NodeName>();
  for (const line of ss()) if (pids.has(line.pid)) byPort.set(line.port, pids.get(line.pid) as NodeName);
  const out = new Map<NodeName, { port: number; ssub: number }>();
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  for (const line of list.split('\n')) {
    const fields = Object.fromEntries(line.split(' ').map((kv) => kv.split('=', 2) as [string, string]));
    if (fields.name !== ADAPTER_SUB) continue;
    const port = Number(fields.addr?.split(':').at(-1));
    const node = byPort.get(port);
    if (node) out.set(node, { port, ssub: Number(fields.ssub) });
  }
  return out;
}

/** Established TCP connections to Redis: local port, owning pid, bytes received (Linux `ss -tnpi`). */
function ss(): Array<{ port: number; pid: number; bytesReceived: number }> {
  const port = new URL(REDIS_URL).port || '6379';
  const text = execFileSync('ss', ['-tnpiH', `( dport = :${port} )`], { encoding: 'utf8' });
  const lines = text.split('\n');
  const out: Array<{ port: number; pid: number; bytesReceived: number }> = [];
  for (let i = 0; i < lines.length - 1; i++) {
    const head = lines[i] ?? '';
    const local = /\s(\S+):(\d+)\s+\S+:\d+\s/.exec(head);
    const pid = /pid=(\d+)/.exec(head);
    if (!local || !pid) continue;
    const received = /bytes_received:(\d+)/.exec(lines[i + 1] ?? '');
    out.push({ port: Number(local[2]), pid: Number(pid[1]), bytesReceived: Number(received?.[1] ?? 0) });
  }
  return out;
}

function bytesReceivedOn(ports: Map<NodeName, { port: number }>): Map<NodeName, number> {
  const byPort = new Map(ss().map((c) => [c.port, c.bytesReceived]));
  return new Map([...ports].map(([node, { port }]) => [node, byPort.get(port) ?? NaN]));
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** CLOCK_MONOTONIC in ms, the clock wswatch stamps arrivals with. */
const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

const stats = (values: number[]) => {
  const s = [...values].sort((x, y) => x - y);
  return { n: s.length, p50: +percentile(s, 50).toFixed(2), p99: +percentile(s, 99).toFixed(2) };
};

const db = await freshDatabase('bench_cross_node');
let watchers: Awaited<ReturnType<typeof startWatchers>> | undefined;
const redis = new Redis(REDIS_URL, { lazyConnect: false });
try {
  await db.pool.query(`INSERT INTO users (id) VALUES (1)`);
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
     SELECT 1, 'cross-node ' || g, now(), now() + interval '1 day', 86400, 1 FROM generate_series(1, 2) g
     RETURNING id`,
  );
  const [g1 = '', g2 = ''] = rows.map((r) => r.id);
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL,
    REDIS_KEY_PREFIX: KEY_PREFIX,
    CLUSTER: 'true',
    RATE_LIMIT: 'off',
    // Every realtime node is a relay candidate (one PostgreSQL advisory lock); A starts first and takes it.
    ROLES: 'realtime',
  };
  const leaders = new Set<NodeName>();
  const start = (node: NodeName) =>
    startServer(env, { onLine: (line) => line.includes(LEADER_LINE) && leaders.add(node) });
  servers.push(await start('A'));
  await until('A to lead the relay', () => leaders.has('A'), 30_000);
  servers.push(...(await Promise.all([start('B'), start('C')])));
  const [a, b, c] = servers as [ServerHandle, ServerHandle, ServerHandle];
  const pids = new Map<number, NodeName>([
    [a.proc.pid ?? 0, 'A'],
    [b.proc.pid ?? 0, 'B'],
    [c.proc.pid ?? 0, 'C'],
  ]);

  watchers = await startWatchers([
    `A:${a.realtimePort}:${perNode}:${g1}`,
    `B:${b.realtimePort}:${perNode}:${g1}`,
    `C:${c.realtimePort}:${perNode}:${g1}`,
    `A:${a.realtimePort}:${g2PerNode}:${g2}`,
    `B:${b.realtimePort}:${g2PerNode}:${g2}`,
  ]);

  const channel = (id: string) => `${KEY_PREFIX}sio#/#giveaway:${id}#`;
  const shardSubscribers = async (id: string) =>
    ((await redis.call('PUBSUB', 'SHARDNUMSUB', channel(id))) as [string, number])[1];
  // The adapter subscribes asynchronously when a room is created on a node.
  await until(
    'G1 on 3 nodes, G2 on 2',
    async () => {
      const [n1, n2] = await Promise.all([shardSubscribers(g1), shardSubscribers(g2)]);
      return n1 === 3 && n2 === 2;
    },
    20_000,
  );
  const subs = await adapterSubscriptions(redis, pids);
  if (subs.size !== 3) throw new Error(`found the adapter subscription of ${subs.size} of 3 nodes`);
  // Let the subscribe storm and the first presence events settle before measuring.
  await sleep(1500);
  const mainFrom = monotonicMs();

  // Main phase: 10 Hz of committed count changes on both giveaways, a status change on each twice a second.
  const started = performance.now();
  for (let tick = 1; performance.now() - started < seconds * 1000; tick++) {
    const next = started + tick * 100;
    await db.pool.query(`UPDATE giveaways SET participants_count = $2 WHERE id = ANY($1::uuid[])`, [
      [g1, g2],
      tick,
    ]);
    if (tick % 5 === 3)
      await db.pool.query(
        `UPDATE giveaways SET status = CASE status WHEN 'active' THEN 'drawing' ELSE 'active' END::giveaway_status
         WHERE id = ANY($1::uuid[])`,
        [[g1, g2]],
      );
    await sleep(Math.max(0, next - performance.now()));
  }
  // The result: completed, which the relay announces as a status and a drawn event.
  await db.pool.query(`UPDATE giveaways SET status = 'completed' WHERE id = $1`, [g1]);
  await sleep(2000);
  const mainTo = monotonicMs();

  // Second phase: only G2 changes. Node C hosts none of its watchers, so its adapter connection hears nothing
  // of it. Each node's RedisPath PINGs its adapter connections once a second; an idle window of the same length
  // just before measures those replies, so what is left is room traffic.
  const phaseStart = performance.now();
  const bytes0 = bytesReceivedOn(subs);
  for (let tick = 1; tick <= 20; tick++) {
    await db.pool.query(`UPDATE giveaways SET participants_count = $2 WHERE id = $1`, [g2, 1000 + tick]);
    await sleep(100);
  }
  await sleep(500);
  const bytes1 = bytesReceivedOn(subs);
  await sleep(1000); // let the last G2 events drain before the idle window
  const bytesIdle0 = bytesReceivedOn(subs);
  await sleep(performance.now() - phaseStart - 1000);
  const bytesIdle1 = bytesReceivedOn(subs);
  const [g1Subs, g2Subs] = await Promise.all([shardSubscribers(g1), shardSubscribers(g2)]);
  const swarm = await watchers.stop();
  watchers = undefined;
  const mainArrivals = swarm.arrivals.filter((x) => x.t >= mainFrom && x.t < mainTo);
  const g2Phase = swarm.arrivals.filter((x) => x.t >= mainTo);
  const g2Bytes = new Map(NODES.map((n) => [n, (bytes1.get(n) ?? NaN) - (bytes0.get(n) ?? NaN)]));
  const idleBytes = new Map(NODES.map((n) => [n, (bytesIdle1.get(n) ?? NaN) - (bytesIdle0.get(n) ?? NaN)]));
  // Probe replies are a few bytes each (one a second per connection), a G2 message hundreds: a residue of one
  // reply is a probe that fell in one window and not the other.
  const roomBytes = (n: (typeof NODES)[number]) =>
    Math.max(0, (g2Bytes.get(n) ?? NaN) - (idleBytes.get(n) ?? NaN));
  const g2FramesOnC = swarm.arrivals.filter((x) => x.node === 'C' && x.frame.includes(g2)).length;
  const g2FramesOnB = g2Phase.filter((x) => x.node === 'B' && x.frame.includes(g2)).length;

  // Decode after the run: group by event (name, giveaway, version) and compare each arrival to A's median.
  const events = new Map<string, { kind: 'count' | 'result'; arrivals: Arrival[] }>();
  for (const x of mainArrivals) {
    const [name, payload] = JSON.parse(x.frame.slice(2)) as [
      string,
      { giveaway_id: string; version: number },
    ];
    if (payload.giveaway_id !== g1) continue;
    const kind =
      name === 'giveaway:count'
        ? 'count'
        : ['giveaway:status', 'giveaway:drawn'].includes(name)
          ? 'result'
          : undefined;
    if (!kind) continue;
    const key = `${name}:${payload.version}`;
    const e = events.get(key) ?? { kind, arrivals: [] };
    e.arrivals.push(x);
    events.set(key, e);
  }
  const added = { count: [] as number[], result: [] as number[] };
  const byNode = {
    B: { count: [] as number[], result: [] as number[] },
    C: { count: [] as number[], result: [] as number[] },
  };
  const floor: number[] = [];
  // The reading: latency distributions against one origin per event (the first arrival at A, the
  // earliest moment the relay's node had it on the wire), and the added latency is p99 on B/C minus p99 on A.
  const fromFirstA = {
    A: { count: [] as number[], result: [] as number[] },
    BC: { count: [] as number[], result: [] as number[] },
  };
  // The first arrival on a node against the first on A: the hop itself, without the client's spread.
  const firstHop = { B: [] as number[], C: [] as number[] };
  const delivered = { A: 0, B: 0, C: 0 };
  const eventsCounted = { count: 0, result: 0 };
  for (const e of events.values()) {
    const atA = e.arrivals.filter((x) => x.node === 'A').map((x) => x.t);
    if (atA.length < perNode / 2) continue; // a count dropped at A (volatile): nothing to compare to
    eventsCounted[e.kind]++;
    atA.sort((x, y) => x - y);
    const median = percentile(atA, 50);
    for (const node of ['B', 'C'] as const) {
      const first = Math.min(...e.arrivals.filter((x) => x.node === node).map((x) => x.t));
      if (Number.isFinite(first)) firstHop[node].push(first - (atA[0] ?? NaN));
    }
    for (const x of e.arrivals) {
      fromFirstA[x.node === 'A' ? 'A' : 'BC'][e.kind].push(x.t - (atA[0] ?? NaN));
      delivered[x.node]++;
      if (x.node === 'A') floor.push(x.t - median);
      else {
        added[e.kind].push(x.t - median);
        byNode[x.node][e.kind].push(x.t - median);
      }
    }
  }
  if (process.env.BENCH_EVENTS) {
    // Per event, each node's first / median / last arrival in ms after A's first: which events were late.
    const rows: Record<string, Record<string, string>> = {};
    for (const [key, e] of events) {
      const t0 = Math.min(...e.arrivals.filter((x) => x.node === 'A').map((x) => x.t));
      rows[key] = Object.fromEntries(
        NODES.map((node) => {
          const ts = e.arrivals.filter((x) => x.node === node).map((x) => x.t - t0);
          ts.sort((x, y) => x - y);
          const at = (p: number) => percentile(ts, p).toFixed(1);
          return [node, `${at(0)} / ${at(50)} / ${at(100)}`];
        }),
      );
    }
    console.table(rows);
  }
  const count = stats(added.count);
  const result = stats(added.result);
  const floorStats = stats(floor);
  const distributions = {
    count: { A: stats(fromFirstA.A.count), BC: stats(fromFirstA.BC.count) },
    result: { A: stats(fromFirstA.A.result), BC: stats(fromFirstA.BC.result) },
  };
  const p99Gap = (kind: 'count' | 'result') =>
    +(distributions[kind].BC.p99 - distributions[kind].A.p99).toFixed(2);
  const expected = (eventsCounted.count + eventsCounted.result) * perNode;
  const leaderNodes = [...leaders].join(',');
  const load = machine();

  console.log(
    `cross-node — 3 nodes (sharded Redis adapter), ${perNode} watchers of G1 per node, ${g2PerNode} of G2 on A and B, ` +
      `${seconds} s at 10 Hz, relay on ${leaderNodes} (${load})`,
  );
  console.table({
    'count, B+C': count,
    'count, B': stats(byNode.B.count),
    'count, C': stats(byNode.C.count),
    'result, B+C': result,
    'result, B': stats(byNode.B.result),
    'result, C': stats(byNode.C.result),
    'A around its median (floor)': floorStats,
    'count from first on A, watchers on A': distributions.count.A,
    'count from first on A, watchers on B+C': distributions.count.BC,
    'result from first on A, watchers on A': distributions.result.A,
    'result from first on A, watchers on B+C': distributions.result.BC,
    'first on B − first on A': stats(firstHop.B),
    'first on C − first on A': stats(firstHop.C),
  });
  console.table({
    'events of G1 compared (count / result)': { value: `${eventsCounted.count} / ${eventsCounted.result}` },
    'deliveries A / B / C (of expected)': {
      value: `${delivered.A} / ${delivered.B} / ${delivered.C} (${expected})`,
    },
    'added p99 = p99(B+C) − p99(A), count / result ms': { value: `${p99Gap('count')} / ${p99Gap('result')}` },
    'G1 / G2 shard-channel subscribers': { value: `${g1Subs} / ${g2Subs}` },
    'adapter shard subscriptions A / B / C': {
      value: NODES.map((n) => subs.get(n)?.ssub ?? NaN).join(' / '),
    },
    'bytes on adapter sub while only G2 changed, A / B / C': {
      value: NODES.map((n) => g2Bytes.get(n)).join(' / '),
    },
    'same in an idle window as long (probe replies)': {
      value: NODES.map((n) => idleBytes.get(n)).join(' / '),
    },
    'G2 frames on B / C sockets (G2-only phase / whole run)': { value: `${g2FramesOnB} / ${g2FramesOnC}` },
    'watcher swarm (wswatch) CPU s after READY': { value: swarm.cpu },
    'server CPU s A / B / C': { value: servers.map((s) => s.cpuSeconds().toFixed(1)).join(' / ') },
  });
  if (leaders.size !== 1) console.error(`warning: the relay moved during the run (leaders: ${leaderNodes})`);

  const detail = { 'watchers/node': perNode, 'relay on': leaderNodes, load: load.replace(/.*load /, '') };
  report({
    name: 'cross-node added latency p99 (count)',
    value: count.p99,
    unit: 'ms',
    target: 5,
    better: 'lower',
    detail: {
      p50: count.p50,
      samples: count.n,
      'floor p99 (A vs own median)': floorStats.p99,
      'first-arrival hop p50': stats([...firstHop.B, ...firstHop.C]).p50,
      'p99(B+C) − p99(A)': p99Gap('count'),
      ...detail,
    },
  });
  report({
    name: 'cross-node added latency p99 (result)',
    value: result.p99,
    unit: 'ms',
    target: 5,
    better: 'lower',
    detail: {
      p50: result.p50,
      samples: result.n,
      events: eventsCounted.result,
      'p99(B+C) − p99(A)': p99Gap('result'),
      ...detail,
    },
  });
  report({
    name: 'bytes of a room on a node without its watchers',
    value: roomBytes('C'),
    unit: 'B',
    target: 0,
    better: 'lower',
    detail: {
      'C raw / idle window': `${g2Bytes.get('C') ?? NaN} / ${idleBytes.get('C') ?? NaN}`,
      'same phase, A': g2Bytes.get('A') ?? NaN,
      'same phase, B': g2Bytes.get('B') ?? NaN,
      'shard subscribers of the room': g2Subs,
      'frames on C sockets': g2FramesOnC,
    },
  });
} finally {
  watchers?.kill();
  await Promise.allSettled(servers.map((s) => s.stop()));
  // Nothing the servers wrote under this run's prefix outlives it.
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${KEY_PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await db.drop();
  clearTimeout(deadline);
}
