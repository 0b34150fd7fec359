// The join batch statement alone: rows per second by batch size, straight against PostgreSQL (no sockets).
// Also reported: CPU of the PostgreSQL backend per row (less noisy than rows/s on shared cores).
// Run: npx tsx bench/join-batch.bench.ts
import pg from 'pg';
import { applyJoinBatch } from '../server/joins/joins.queries.ts';
import { freshDatabase, machine } from './support/bench-env.ts';
import { cpuSince, postgresCpu, report } from './support/measure.ts';

const db = await freshDatabase('bench_join_batch');
await db.pool.query(`INSERT INTO users (id) SELECT g FROM generate_series(1, 200001) g`);
const { rows } = await db.pool.query<{ id: string }>(
  `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count)
   SELECT 1, 'b' || g, now(), now() + interval '1 day', 86400, 1 FROM generate_series(1, 40) g RETURNING id`,
);
const ids = rows.map((r) => r.id);
// Samples the backends' CPU from a connection of its own (postgresCpu leaves out the asking backend).
const probe = new pg.Pool({ connectionString: db.url, max: 1 });
let user = 2;
const results: Record<string, { 'rows/s': number; 'ms/batch': number; 'PostgreSQL CPU µs/row': number }> = {};
for (const size of [50, 200, 500, 1000]) {
  const batches = Math.floor(40_000 / size);
  const cpu0 = await postgresCpu(probe);
  const started = performance.now();
  for (let b = 0; b < batches; b++) {
    const req = Array.from({ length: size }, (_, i) => ({
      giveawayId: ids[(b + i) % ids.length] ?? '',
      userId: user + (i % size),
      source: 'api' as const,
    }));
    user += size;
    if (user > 199_000) user = 2;
    await applyJoinBatch(db.pool, req);
  }
  const ms = performance.now() - started;
  const cpu = cpuSince(cpu0, await postgresCpu(probe));
  results[`batch ${size}`] = {
    'rows/s': Math.round((batches * size) / (ms / 1000)),
    'ms/batch': +(ms / batches).toFixed(1),
    'PostgreSQL CPU µs/row': +((cpu / (batches * size)) * 1e6).toFixed(1),
  };
}
console.log(`join batch statement, sequential, 40 giveaways (${machine()})`);
console.table(results);
const best = Object.entries(results).sort((a, b) => b[1]['rows/s'] - a[1]['rows/s'])[0];
report({
  name: 'join batch statement, one stream',
  value: best?.[1]['rows/s'] ?? NaN,
  unit: 'rows/s',
  detail: {
    at: best?.[0] ?? '',
    'ms/batch': best?.[1]['ms/batch'] ?? NaN,
    'PostgreSQL CPU µs/row': best?.[1]['PostgreSQL CPU µs/row'] ?? NaN,
  },
});
await probe.end();
await db.drop();
