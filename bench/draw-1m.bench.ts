// A draw's hot path at scale, from PostgreSQL: read the frozen entrants (1M and 10M, weights 1..5), freeze
// them (validate + Merkle tree on worker threads), select 100 winners + 100 reserves. Target: ≤ 1 s end to end
// for 1M. Also the previous path (row-per-entrant read + single-thread freeze) for comparison.
// Run: `npx tsx bench/draw-1m.bench.ts [1000000,10000000]` (needs PostgreSQL on 127.0.0.1, BENCH_DATABASE_URL).
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { entrantsNdjson } from '../server/draws/entrants-ndjson.ts';
import { readEntrantColumns, selectFrozenEntrants } from '../server/draws/entrants.queries.ts';
import { MerkleWorkers } from '../server/draws/merkle-workers.ts';
import {
  DrawSelector,
  deriveSeed,
  freezeEntrants,
  generateServerSeed,
  type FrozenEntrants,
} from '../server/draws/protocol/index.ts';
import { freshDatabase, machine } from './support/bench-env.ts';

const SIZES = (process.argv[2] ?? '1000000,10000000').split(',').map(Number);
const WINNERS = 100;
const RESERVES = 100;

const db = await freshDatabase('bench_draw_1m');
// DROP DATABASE … WITH (FORCE) at the end may reach a pooled client that is still closing.
db.pool.on('error', () => undefined);
const workers = new MerkleWorkers();
const rows: Array<Record<string, string | number>> = [];
const ms = (t0: number) => Math.round(performance.now() - t0);

try {
  await db.pool.query(`INSERT INTO users (id) VALUES (1)`);
  for (const n of SIZES) {
    const { rows: created } = await db.pool.query<{ id: string }>(
      `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count, reserves_count)
       VALUES (1, 'bench', now() - interval '1 hour', now(), 3600, $1, $2) RETURNING id`,
      [WINNERS, RESERVES],
    );
    const id = created[0]?.id ?? '';
    // Telegram-like ids (10 digits), weight = 1 + tickets with a few ticket holders, as a frozen list is stored.
    const t0 = performance.now();
    await db.pool.query(
      `INSERT INTO draw_entrants (giveaway_id, user_id, weight)
       SELECT $1, 5000000000 + g * 7 + g % 5, 1 + (g * 2654435761::bigint % 100 / 80)::int * (1 + g % 4)
       FROM generate_series(1, $2::int) g`,
      [id, n],
    );
    await db.pool.query('VACUUM ANALYZE draw_entrants');
    console.log(`${n} entrants stored in ${ms(t0)} ms`);

    const runs = n <= 1_000_000 ? 3 : 1;
    for (let run = 1; run <= 2 * runs; run++) {
      // Odd runs read in one query, even runs in four id ranges at once (what the server does).
      const parts = run % 2 === 1 ? 1 : 4;
      const read = await phase(() => readEntrantColumns(db.pool, id, parts));
      const freeze = await phase(() => workers.freeze(read.value));
      const picked = await phase(() => Promise.resolve(select(freeze.value, id)));
      rows.push(row(n, `${Math.ceil(run / 2)} (read in ${parts})`, read, freeze, picked));
    }
    if (n <= 1_000_000) {
      // The path before this change: one object per row from pg, then freezeEntrants on one thread.
      const read = await phase(() => selectFrozenEntrants(db.pool, id));
      const freeze = await phase(() => Promise.resolve(freezeEntrants(read.value)));
      const picked = await phase(() => Promise.resolve(select(freeze.value, id)));
      rows.push(row(n, 'old path', read, freeze, picked));
      // Serving the whole list as NDJSON (GET …/entrants?format=ndjson), without the HTTP part.
      let bytes = 0;
      const ndjson = await phase(async () => {
        for await (const chunk of entrantsNdjson(db.pool, id, '0')) bytes += chunk.length;
        return bytes;
      });
      console.log(`NDJSON of ${n} entrants: ${(bytes / 1e6).toFixed(1)} MB in ${ndjson.ms} ms`);
    }
    await db.pool.query(`DELETE FROM draw_entrants WHERE giveaway_id = $1`, [id]);
  }
  console.log(
    `draw-1m bench — node ${process.version}, ${machine()}, ${cpus().length} threads for the tree, ` +
      `load at end ${loadavg()[0]?.toFixed(1)}`,
  );
  console.table(rows);
} finally {
  await workers.close();
  await db.drop();
}

interface Phase<T> {
  value: T;
  ms: number;
  /** CPU of the whole process (all threads) during the phase: what the phase costs whatever the load. */
  cpuMs: number;
}

async function phase<T>(fn: () => Promise<T>): Promise<Phase<T>> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return {
    value,
    ms: Math.round(performance.now() - t),
    cpuMs: Math.round((used.user + used.system) / 1000),
  };
}

function row(n: number, run: string, read: Phase<unknown>, freeze: Phase<unknown>, picked: Phase<number>) {
  return {
    entrants: n,
    run,
    'read ms': read.ms,
    'read cpu': read.cpuMs,
    'freeze ms': freeze.ms,
    'freeze cpu': freeze.cpuMs,
    'select ms': picked.ms,
    'total ms': read.ms + freeze.ms + picked.ms,
    picked: picked.value,
  };
}

function select(frozen: FrozenEntrants, giveawayId: string): number {
  const seed = deriveSeed({ serverSeed: generateServerSeed(), giveawayId, entrantsRoot: frozen.root });
  const s = new DrawSelector({ entrants: frozen, seed }).draw(WINNERS, RESERVES);
  return s.winners.length + s.reserves.length;
}
