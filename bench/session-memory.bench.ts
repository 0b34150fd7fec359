// Memory per idle *authenticated* connection: N sockets opened with init-data (each its own user, so each is an
// open session with an expiry), subscribed to one giveaway, then idle. bench/fanout.bench.ts measures viewers
// (the C client connects without credentials); this is the other half of issue 17 §1. Server RSS is read before
// the sockets connect and once they are all subscribed and idle.
// BENCH_HEAP_SNAPSHOTS=<dir> also writes heap snapshots at those two moments (diff with bench/support/heap-diff.ts);
// a snapshot collects garbage first, so the RSS of such a run is not comparable to one without.
// Run: npx tsx bench/session-memory.bench.ts [sockets=2000]
import { mkdirSync } from 'node:fs';
import WebSocket from 'ws';
import { initDataFor, TEST_BOT_TOKEN } from '../test/support/telegram-user.ts';
import { freshDatabase, machine, startServer } from './support/bench-env.ts';
import { heapSnapshot, report, treeRssBytes } from './support/measure.ts';

const n = Number(process.argv[2] ?? 2000);
const snapshotDir = process.env.BENCH_HEAP_SNAPSHOTS;
if (snapshotDir) {
  mkdirSync(snapshotDir, { recursive: true });
  process.env.BENCH_NODE_FLAGS = `${process.env.BENCH_NODE_FLAGS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}`;
}

const db = await freshDatabase('bench_session_memory');
await db.pool.query(`INSERT INTO users (id) SELECT g FROM generate_series(1, $1::int + 1) g`, [n]);
const { rows } = await db.pool.query<{ id: string }>(
  `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
   VALUES (1, 'memory', now(), now() + interval '1 day', 86400, 1) RETURNING id`,
);
const giveawayId = rows[0]?.id ?? '';
const server = await startServer({
  DATABASE_URL: db.url,
  BOT_TOKEN: TEST_BOT_TOKEN,
  RATE_LIMIT: 'off',
  ROLES: 'api,realtime',
});
const pid = server.proc.pid ?? 0;

/** Opens one socket with init-data and resolves once its subscribe is acknowledged. */
function watcher(userId: number): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.realtimePort}/socket.io/?EIO=4&transport=websocket`, {
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const frame = data.toString();
      if (frame === '2') ws.send('3');
      else if (frame.startsWith('0'))
        ws.send(`40${JSON.stringify({ initData: initDataFor({ id: userId }) })}`);
      else if (frame.startsWith('44')) reject(new Error(frame));
      else if (frame.startsWith('40')) ws.send(`420["giveaway:subscribe",{"giveaway_id":"${giveawayId}"}]`);
      else if (frame.startsWith('430')) resolve(ws);
    });
  });
}

try {
  const before = snapshotDir ? await heapSnapshot(pid, snapshotDir) : '';
  const rss0 = treeRssBytes(pid);
  const sockets: WebSocket[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, (_, k) => watcher(i + k + 2));
    sockets.push(...(await Promise.all(batch)));
  }
  // Let the connect storm's timers and microtasks settle before reading.
  await new Promise((r) => setTimeout(r, 500));
  const rss1 = treeRssBytes(pid);
  const after = snapshotDir ? await heapSnapshot(pid, snapshotDir) : '';
  const perConn = (rss1 - rss0) / n / 1024;
  console.log(`session memory — ${n} init-data sockets subscribed to one giveaway (${machine()})`);
  console.log(`RSS per idle authenticated connection: ${perConn.toFixed(2)} KB`);
  if (snapshotDir) console.log(`heap snapshots: npx tsx bench/support/heap-diff.ts ${before} ${after} ${n}`);
  report({
    name: 'RSS per idle authenticated connection',
    value: +perConn.toFixed(2),
    unit: 'KB',
    target: 6,
    better: 'lower',
    detail: { sockets: n },
  });
  for (const ws of sockets) ws.close();
} finally {
  await server.stop();
  await db.drop();
}
