// Socket joins through the batched write path: accepted joins per second, ack latency, and a check that
// nothing was lost or doubled. Target (issue 5): ≥ 15k accepted/s with p99 ack ≤ 50 ms on 2 cores.
// The generator speaks the Socket.IO websocket protocol over raw `ws` sockets (connect with init-data, emit
// with ack): socket.io-client's per-message work made the generator the heaviest process on the box.
// Run: npx tsx bench/socket-joins.bench.ts [users=2000] [giveaways=40] [inflightPerSocket=4]
import WebSocket from 'ws';
import { initDataFor, TEST_BOT_TOKEN } from '../test/support/telegram-user.ts';
import { freshDatabase, machine, percentile, processCpuSeconds, startServer } from './support/bench-env.ts';
import { report } from './support/measure.ts';

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

/** One authenticated socket: emits giveaway:join with an ack id and resolves each ack by its id. */
interface JoinSocket {
  join(giveawayId: string): Promise<{ ok: boolean }>;
  close(): void;
}

function connect(userId: number): Promise<JoinSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.realtimePort}/socket.io/?EIO=4&transport=websocket`, {
    perMessageDeflate: false,
  });
  const acks = new Map<number, (ack: { ok: boolean }) => void>();
  let nextId = 0;
  const socket: JoinSocket = {
    join(giveawayId) {
      const id = nextId++;
      ws.send(`42${id}["giveaway:join",{"giveaway_id":"${giveawayId}"}]`);
      return new Promise((resolve) => acks.set(id, resolve));
    },
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const frame = data.toString();
      if (frame.startsWith('43')) {
        const open = frame.indexOf('[');
        const id = Number(frame.slice(2, open));
        const ack = JSON.parse(frame.slice(open)) as [{ ok: boolean }];
        acks.get(id)?.(ack[0]);
        acks.delete(id);
      } else if (frame === '2') ws.send('3');
      else if (frame.startsWith('40')) resolve(socket);
      else if (frame.startsWith('44')) reject(new Error(frame));
      else if (frame.startsWith('0'))
        ws.send(`40${JSON.stringify({ initData: initDataFor({ id: userId }) })}`);
    });
  });
}

const sockets: JoinSocket[] = [];
for (let i = 0; i < users; i += 100)
  sockets.push(
    ...(await Promise.all(Array.from({ length: Math.min(100, users - i) }, (_, k) => connect(i + k + 2)))),
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
        const ack = await socket.join(giveawayId ?? '');
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
for (const s of sockets) s.close();
await server.stop();
void processCpuSeconds;
await db.drop();
const stored = Number(counted.rows[0]?.n);
const sum = Number(counted.rows[0]?.sum);
const detail = {
  'in flight': users * inflight,
  'p50 ms': +percentile(latencies, 50).toFixed(1),
  lost: accepted - stored,
  doubled: stored - sum,
  'server CPU s': +serverCpu.toFixed(1),
  'generator CPU s': +((selfCpu.user + selfCpu.system) / 1e6).toFixed(1),
  load: machine().replace(/.*load /, ''),
};
report({
  name: 'socket joins accepted/s',
  value: Math.round(accepted / seconds),
  unit: '/s',
  target: 15000,
  better: 'higher',
  detail,
});
report({
  name: 'socket joins ack p99',
  value: +percentile(latencies, 99).toFixed(1),
  unit: 'ms',
  target: 50,
  better: 'lower',
  detail: { 'in flight': users * inflight },
});
