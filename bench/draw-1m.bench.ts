// A 1M-entrant draw end to end, in a real database and the real server: from the giveaway's ends_at to the
// `giveaway:drawn` event reaching a watcher. On the way: the scheduler closes it (freeze: read participants and
// tickets, insert the frozen list, Merkle tree on worker threads), publishes the root, draws 100 winners + 100
// reserves (each pick's user checked), stores the proof, and the relay emits. Target: ≤ 1 s for 1M.
// Run: `npx tsx bench/draw-1m.bench.ts [entrants=1000000] [runs=1]` (PostgreSQL on 127.0.0.1 or
// BENCH_DATABASE_URL). BENCH_CPU_PROF=<dir> writes the server's V8 CPU profile there.
import { loadavg } from 'node:os';
import { io as connect } from 'socket.io-client';
import type pg from 'pg';
import { createCommitment } from '../server/draws/commitment/index.ts';
import { freshDatabase, machine, startServer, type ServerHandle } from './support/bench-env.ts';
import { cpuSince, postgresCpu, report, treeCpuSeconds } from './support/measure.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 1);
const WINNERS = 100;
const RESERVES = 100;
const TARGET_MS = 1000;
const BASE_ID = 5_000_000_000;

const db = await freshDatabase('bench_draw_1m');
// DROP DATABASE … WITH (FORCE) at the end may reach a pooled client that is still closing.
db.pool.on('error', () => undefined);

interface Run {
  /** ends_at → giveaway:drawn received. */
  endToEndMs: number;
  /** Close start → the frozen list read and decoded (the tree starts there). */
  readMs: number;
  /** Close transaction (read + insert of the frozen list; the tree builds meanwhile). */
  closeMs: number;
  /** Close start → Merkle tree ready. */
  treeReadyMs: number;
  /** The draw: plan (root published, picks checked, bundle) and the commit writing winners and proof. */
  planMs: number;
  commitMs: number;
  /** ends_at → the close's start (the scheduler's aim timer and its first queries). */
  pickUpMs: number;
  /** Tree ready → the draw's start (root published, the close pass ends, the draw is claimed). */
  handOffMs: number;
  /** The draw's commit → giveaway:drawn at the watcher (NOTIFY, the relay, the socket). */
  deliverMs: number;
  serverCpuS: number;
  postgresCpuS: number;
}

const started = Date.now();
// Telegram-like ids (10 digits); one in five entrants holds 1–4 tickets.
await db.pool.query(`INSERT INTO users (id) VALUES (1)`);
await db.pool.query(
  `INSERT INTO users (id) SELECT $1::bigint + g * 7 + g % 5 FROM generate_series(1, $2::int) g`,
  [BASE_ID, N],
);
const server = await startServer({
  DATABASE_URL: db.url,
  RATE_LIMIT: 'off',
  ROLES: 'api,realtime,worker',
  LOG_LEVEL: 'debug',
});
const logs: Array<Record<string, unknown>> = [];
let partial = '';
server.proc.stdout?.on('data', (chunk: Buffer) => {
  const lines = (partial + chunk.toString()).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines)
    if (line.includes('timing')) logs.push(JSON.parse(line) as Record<string, unknown>);
});

const runs: Run[] = [];
try {
  for (let run = 1; run <= RUNS; run++) runs.push(await drawOnce(server, run));
} finally {
  await server.stop();
  await db.drop();
}

const sorted = [...runs].sort((a, b) => a.endToEndMs - b.endToEndMs);
const median = sorted[Math.floor((sorted.length - 1) / 2)] as Run;
console.log(
  `draw-1m bench — node ${process.version}, ${machine()}, ${N} entrants, ${WINNERS} winners + ${RESERVES} ` +
    `reserves, ${RUNS} run(s), ${Math.round((Date.now() - started) / 1000)} s in all`,
);
console.table(runs);
report({
  name: `draw ${N / 1e6}M: ends_at → giveaway:drawn`,
  value: median.endToEndMs,
  unit: 'ms',
  ...(N === 1_000_000 ? { target: TARGET_MS, better: 'lower' as const } : {}),
  detail: {
    'read ms': median.readMs,
    'close tx ms': median.closeMs,
    'tree ready ms': median.treeReadyMs,
    'plan ms': median.planMs,
    'commit ms': median.commitMs,
    'pick-up ms': median.pickUpMs,
    'hand-off ms': median.handOffMs,
    'deliver ms': median.deliverMs,
    'server cpu s': median.serverCpuS,
    'postgres cpu s': median.postgresCpuS,
    load: loadavg()[0]?.toFixed(1) ?? '?',
  },
});

async function drawOnce(srv: ServerHandle, run: number): Promise<Run> {
  const id = await loadGiveaway(db.pool);
  const socket = connect(`http://127.0.0.1:${srv.realtimePort}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = (await socket.timeout(5_000).emitWithAck('giveaway:subscribe', { giveaway_id: id })) as {
      ok: boolean;
    };
    if (!ack.ok) throw new Error('subscribe failed');
    const drawn = new Promise<number>((resolve) => socket.once('giveaway:drawn', () => resolve(Date.now())));
    const serverCpu0 = treeCpuSeconds(srv.proc.pid ?? 0);
    const pg0 = await postgresCpu(db.pool);
    // The scheduler aims a timer at ends_at; the time is the database's, on this same machine.
    const { rows } = await db.pool.query<{ ms: number }>(
      `UPDATE giveaways SET ends_at = now() + interval '1.5 s' WHERE id = $1
       RETURNING (extract(epoch FROM ends_at) * 1000)::float8 AS ms`,
      [id],
    );
    const endsAt = rows[0]?.ms ?? NaN;
    const at = await Promise.race([
      drawn,
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error('no giveaway:drawn in 120 s')), 120_000),
      ),
    ]);
    const close = logs.find((l) => l.msg === 'Close timing' && l.giveawayId === id) ?? {};
    const draw = logs.find((l) => l.msg === 'Draw run timing' && l.giveawayId === id) ?? {};
    // Log times are the server clock's (ISO, ms) at the line, on this same machine.
    const closeLoggedAt = Date.parse(String(close.time));
    const drawLoggedAt = Date.parse(String(draw.time));
    const closeStart = closeLoggedAt - Number(close.treeReadyMs ?? NaN);
    const drawStart = drawLoggedAt - Number(draw.planMs ?? NaN) - Number(draw.commitMs ?? NaN);
    const result: Run = {
      endToEndMs: Math.round(at - endsAt),
      readMs: Number(close.readMs ?? NaN),
      closeMs: Number(close.closeMs ?? NaN),
      treeReadyMs: Number(close.treeReadyMs ?? NaN),
      planMs: Number(draw.planMs ?? NaN),
      commitMs: Number(draw.commitMs ?? NaN),
      pickUpMs: Math.round(closeStart - endsAt),
      handOffMs: Math.round(drawStart - closeLoggedAt),
      deliverMs: Math.round(at - drawLoggedAt),
      serverCpuS: +(treeCpuSeconds(srv.proc.pid ?? 0) - serverCpu0).toFixed(2),
      postgresCpuS: +cpuSince(pg0, await postgresCpu(db.pool)).toFixed(2),
    };
    console.log(`run ${run}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    socket.close();
  }
}

/** A giveaway ending in a day with N participants (weight 1 + tickets) and a commitment without beacon. */
async function loadGiveaway(pool: pg.Pool): Promise<string> {
  const t0 = Date.now();
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count, reserves_count)
     VALUES (1, 'bench', now() - interval '1 hour', now() + interval '1 day', 90000, $1, $2) RETURNING id`,
    [WINNERS, RESERVES],
  );
  const id = rows[0]?.id ?? '';
  await createCommitment(pool, id);
  await pool.query(
    `INSERT INTO participants (giveaway_id, user_id)
     SELECT $1, $2::bigint + g * 7 + g % 5 FROM generate_series(1, $3::int) g`,
    [id, BASE_ID, N],
  );
  await pool.query(
    `INSERT INTO tickets (giveaway_id, user_id, count)
     SELECT $1, $2::bigint + g * 7 + g % 5, 1 + g % 4 FROM generate_series(1, $3::int, 5) g`,
    [id, BASE_ID, N],
  );
  await pool.query(`UPDATE giveaways SET participants_count = $2 WHERE id = $1`, [id, N]);
  await pool.query('VACUUM ANALYZE');
  console.log(`giveaway with ${N} participants loaded in ${Date.now() - t0} ms`);
  return id;
}
