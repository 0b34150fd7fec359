// One room, many watchers: memory per idle websocket connection (server heap and RSS, from /metrics and
// /proc), then a 10 Hz stream of count changes and how fast each event reaches every watcher.
// Run: npx tsx bench/fanout.bench.ts [watchers=5000] [seconds=10]
import { readFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { freshDatabase, machine, percentile, startServer } from './support/bench-env.ts';

const [watchers = 5000, seconds = 10] = process.argv.slice(2).map(Number);
const db = await freshDatabase('bench_fanout');
await db.pool.query(`INSERT INTO users (id) VALUES (1)`);
const { rows } = await db.pool.query<{ id: string }>(
  `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
   VALUES (1, 'fanout', now(), now() + interval '1 day', 86400, 1) RETURNING id`,
);
const id = rows[0]?.id ?? '';
const server = await startServer({ DATABASE_URL: db.url, RATE_LIMIT: 'off', ROLES: 'api,realtime' });

async function serverMemory() {
  const text = await (await fetch(`http://127.0.0.1:${server.httpPort}/metrics`)).text();
  const heap = Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1]);
  const status = readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) * 1024;
  return { heap, rss };
}

await new Promise((r) => setTimeout(r, 1000));
const before = await serverMemory();
const sockets: Socket[] = [];
const received: number[] = [];
let lastSentAt = new Map<number, number>();
const arrivals = new Map<number, number[]>();
for (let i = 0; i < watchers; i += 500) {
  await Promise.all(
    Array.from({ length: Math.min(500, watchers - i) }, async () => {
      const s = io(`http://127.0.0.1:${server.realtimePort}`, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
      await s.timeout(30_000).emitWithAck('giveaway:subscribe', { giveaway_id: id });
      s.on('giveaway:count', (e: { participants_count: number }) => {
        const at = performance.now();
        received.push(at);
        const list = arrivals.get(e.participants_count) ?? [];
        list.push(at);
        arrivals.set(e.participants_count, list);
      });
      sockets.push(s);
    }),
  );
}
await new Promise((r) => setTimeout(r, 2000));
if (typeof globalThis.gc === 'function') globalThis.gc();
const idle = await serverMemory();

// 10 Hz of changes, as a busy giveaway produces after coalescing.
const started = performance.now();
let count = 0;
const cpu0 = server.cpuSeconds();
while (performance.now() - started < seconds * 1000) {
  count++;
  lastSentAt.set(count, performance.now());
  await db.pool.query(`UPDATE giveaways SET participants_count = $2 WHERE id = $1`, [id, count]);
  await new Promise((r) => setTimeout(r, 100));
}
await new Promise((r) => setTimeout(r, 2000));
const cpu = server.cpuSeconds() - cpu0;
const spreads: number[] = [];
const lags: number[] = [];
for (const [value, list] of arrivals) {
  if (list.length < watchers * 0.9) continue;
  list.sort((a, b) => a - b);
  spreads.push((list.at(-1) ?? 0) - (list[0] ?? 0));
  const sent = lastSentAt.get(value);
  if (sent !== undefined) lags.push((list.at(-1) ?? 0) - sent);
}
spreads.sort((a, b) => a - b);
lags.sort((a, b) => a - b);
const window = (received.at(-1) ?? 0) - (received[0] ?? 0);
console.log(`fan-out — ${watchers} websocket watchers in one room, ${seconds} s at 10 Hz (${machine()})`);
console.table({
  'heap per idle connection (KB)': { value: +((idle.heap - before.heap) / watchers / 1024).toFixed(2) },
  'RSS per idle connection (KB)': { value: +((idle.rss - before.rss) / watchers / 1024).toFixed(2) },
  'server RSS with watchers (MB)': { value: +(idle.rss / 1048576).toFixed(0) },
  'events emitted (distinct counts seen)': { value: arrivals.size },
  deliveries: { value: received.length },
  'deliveries/s': { value: Math.round(received.length / (window / 1000)) },
  'server CPU s during stream': { value: +cpu.toFixed(2) },
  'deliveries per server CPU-second': { value: Math.round(received.length / cpu) },
  'first→last recipient p50 ms': { value: +percentile(spreads, 50).toFixed(1) },
  'first→last recipient p99 ms': { value: +percentile(spreads, 99).toFixed(1) },
  'commit→last recipient p99 ms': { value: +percentile(lags, 99).toFixed(1) },
});
for (const s of sockets) s.disconnect();
await server.stop();
await db.drop();
void lastSentAt;
lastSentAt = new Map();
