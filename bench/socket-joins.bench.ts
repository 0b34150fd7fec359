// Socket joins through the batched write path: accepted joins per second, ack latency, and a check that
// nothing was lost or doubled. Target (issue 5): ≥ 15k accepted/s with p99 ack ≤ 50 ms on 2 cores.
// Run: npx tsx bench/socket-joins.bench.ts [users=2000] [giveaways=40] [inflightPerSocket=4]
import { io, type Socket } from 'socket.io-client';
import { initDataFor, TEST_BOT_TOKEN } from '../test/support/telegram-user.ts';
import { freshDatabase, machine, percentile, processCpuSeconds, startServer } from './support/bench-env.ts';

const [users = 2000, giveaways = 40, inflight = 4] = process.argv.slice(2).map(Number);
const db = await freshDatabase('bench_socket_joins');
await db.pool.query(`INSERT INTO users (id) SELECT g FROM generate_series(1, $1::int + 1) g`, [users]);
const { rows } = await db.pool.query<{ id: string }>(
  `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
   SELECT 1, 'bench ' || g, now(), now() + interval '1 day', 86400, 1 FROM generate_series(1, $1::int) g RETURNING id`,
  [giveaways],
);
const ids = rows.map((r) => r.id);
const server = await startServer({
  DATABASE_URL: db.url,
  BOT_TOKEN: TEST_BOT_TOKEN,
  RATE_LIMIT: 'off',
  ROLES: 'api,realtime',
});

const sockets: Socket[] = await Promise.all(
  Array.from({ length: users }, (_, i) => {
    const s = io(`http://127.0.0.1:${server.realtimePort}`, {
      transports: ['websocket'],
      auth: { initData: initDataFor({ id: i + 2 }) },
      reconnection: false,
      forceNew: true,
    });
    return new Promise<Socket>((resolve, reject) => {
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
  }),
);

const latencies: number[] = [];
let accepted = 0;
let failed = 0;
const serverCpu0 = server.cpuSeconds();
const selfCpu0 = process.cpuUsage();
const started = performance.now();
await Promise.all(
  sockets.map(async (socket) => {
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const giveawayId = ids[next++];
        const t = performance.now();
        const ack = (await socket
          .timeout(30_000)
          .emitWithAck('giveaway:join', { giveaway_id: giveawayId })) as { ok: boolean };
        latencies.push(performance.now() - t);
        if (ack.ok) accepted++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: inflight }, worker));
  }),
);
const seconds = (performance.now() - started) / 1000;
const serverCpu = server.cpuSeconds() - serverCpu0;
const selfCpu = process.cpuUsage(selfCpu0);
latencies.sort((a, b) => a - b);
const counted = await db.pool.query<{ n: string; sum: string }>(
  `SELECT (SELECT count(*) FROM participants) AS n, (SELECT sum(participants_count) FROM giveaways) AS sum`,
);

console.log(
  `socket joins — ${users} sockets × ${giveaways} giveaways, ${inflight} in flight per socket (${machine()})`,
);
console.table({
  joins: { value: users * giveaways },
  accepted: { value: accepted },
  failed: { value: failed },
  'accepted/s': { value: Math.round(accepted / seconds) },
  'ack p50 ms': { value: +percentile(latencies, 50).toFixed(1) },
  'ack p99 ms': { value: +percentile(latencies, 99).toFixed(1) },
  'rows in participants': { value: Number(counted.rows[0]?.n) },
  'sum of participants_count': { value: Number(counted.rows[0]?.sum) },
  'server CPU s': { value: +serverCpu.toFixed(1) },
  'load generator CPU s': { value: +((selfCpu.user + selfCpu.system) / 1e6).toFixed(1) },
  'wall s': { value: +seconds.toFixed(2) },
});
for (const s of sockets) s.disconnect();
await server.stop();
void processCpuSeconds;
await db.drop();
