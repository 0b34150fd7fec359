// Legacy Redis → PostgreSQL import of a keyspace with 1M participants (the target: ≥ 100k
// participants/s), then the rerun over the imported data (must change nothing). Besides wall time it
// measures the CPU the importer and its PostgreSQL backends used, which stays meaningful on a shared,
// loaded machine: participants per CPU-second, and the rate that implies on an idle machine of this size.
// Run: npx tsx bench/legacy-import.bench.ts [participants=1000000] [giveaways=20] [writers=2] [batch=20000]
//      [checked|unchecked]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';
import { runImport, type ProgressSink } from '../server/legacy-import/index.ts';
import { writeBulkFixture } from '../test/legacy-import/bulk-fixture.ts';
import { freePort } from '../test/support/free-port.ts';
import { freshDatabase, machine, processCpuSeconds } from './support/bench-env.ts';
import { report as benchResult } from './support/measure.ts';

const [participants = 1_000_000, giveaways = 20, writers = 2, batch = 20_000] = process.argv
  .slice(2, 6)
  .map(Number);
/** `unchecked`: the --disable-triggers mode (participants inserted without per-row foreign-key checks). */
const disableTriggers = process.argv[6] === 'unchecked';

interface Mark {
  name: string;
  at: number;
  importerCpu: number;
  pgCpu: number;
}

/** Records when each phase starts and the CPU used so far (importer, and its PostgreSQL backends). */
class PhaseClock implements ProgressSink {
  readonly marks: Mark[] = [];
  constructor(private readonly backends: number[]) {}
  phase(name: string): void {
    const cpu = process.cpuUsage();
    this.marks.push({
      name,
      at: performance.now(),
      importerCpu: (cpu.user + cpu.system) / 1e6,
      pgCpu: this.backends.reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    });
  }
  advance(): void {}
  note(): void {}
  skipped(): void {}
  end(): void {
    this.phase('end');
  }
  /** Wall seconds, importer CPU seconds, PostgreSQL CPU seconds of a phase ('run' = all of them). */
  of(name: string): { wall: number; importer: number; pg: number } {
    const i = name === 'run' ? 0 : this.marks.findIndex((m) => m.name === name);
    const from = this.marks[i];
    const to = name === 'run' ? this.marks[this.marks.length - 1] : this.marks[i + 1];
    if (!from || !to) return { wall: NaN, importer: NaN, pg: NaN };
    return {
      wall: (to.at - from.at) / 1000,
      importer: to.importerCpu - from.importerCpu,
      pg: to.pgCpu - from.pgCpu,
    };
  }
}

const port = await freePort();
const redisServer = spawn(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {
    stdio: 'ignore',
  },
);
const url = `redis://127.0.0.1:${port}`;
const writer = new Redis(url, { retryStrategy: (n) => (n > 50 ? null : 100) });
writer.on('error', () => undefined); // Refused until redis-server listens: retried.
const db = await freshDatabase('bench_legacy_import');
db.pool.on('error', () => undefined);
// The importer's own pool keeps its connections (no idle timeout), so their backends' CPU can be read.
const pool = new pg.Pool({
  connectionString: db.url,
  max: writers + 2,
  idleTimeoutMillis: 0,
  application_name: 'legacy-import-bench',
});
pool.on('error', () => undefined);
/** Opens every connection of the pool now, so the backends to watch are known before the run. */
async function warmBackends(): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: writers + 2 }, () => pool.connect()));
  const pids = await Promise.all(
    clients.map(
      async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0,
    ),
  );
  for (const c of clients) c.release();
  return pids;
}
try {
  const t0 = performance.now();
  const { members } = await writeBulkFixture(writer, {
    giveaways,
    participants: Math.ceil(participants / giveaways),
    userPool: Math.round(participants * 0.3),
  });
  const keys = await writer.dbsize();
  console.log(
    `fixture: ${members} participants in ${giveaways} giveaways, ${keys} keys, written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const rows: Record<string, Record<string, string | number>> = {};
  const backends = await warmBackends();
  const perCore = (n: number, cpu: number) => Math.round(n / (cpu / cpus().length));
  const cpuOf = (p: { importer: number; pg: number }) => `${p.importer.toFixed(1)} / ${p.pg.toFixed(1)}`;
  for (const run of ['first run', 'rerun']) {
    const clock = new PhaseClock(backends);
    const report = await runImport({ from: url, pool, batch, writers, disableTriggers, progress: clock });
    const all = clock.of('run');
    const phase = clock.of('giveaways');
    rows[run] = {
      'total s': +all.wall.toFixed(2),
      'scan s': +clock.of('scan').wall.toFixed(2),
      'users s': +clock.of('users').wall.toFixed(2),
      'giveaways s': +phase.wall.toFixed(2),
      'participants imported': report.imported.participants,
      'rows updated': Object.values(report.updated).reduce((a, b) => a + b, 0),
      'participants/s (giveaways phase)': Math.round(members / phase.wall),
      'participants/s (whole run)': Math.round(members / all.wall),
      'CPU s importer / PG (scan)': cpuOf(clock.of('scan')),
      'CPU s importer / PG (users)': cpuOf(clock.of('users')),
      'CPU s importer / PG (giveaways phase)': cpuOf(phase),
      'CPU s importer / PG (whole run)': cpuOf(all),
      // Both sides spread over the machine's cores with nothing else running: what the CPU work allows.
      'participants/s if idle (giveaways phase)': perCore(members, phase.importer + phase.pg),
      'participants/s if idle (whole run)': perCore(members, all.importer + all.pg),
    };
  }
  console.log(
    `legacy import, batch ${batch}, ${writers} writers, foreign-key checks ${disableTriggers ? 'off' : 'on'} (${machine()})`,
  );
  console.table(rows);
  const first = rows['first run'] ?? {};
  const checks = `FK checks ${disableTriggers ? 'off' : 'on'}`;
  benchResult({
    name: `legacy import, ${members} participants, ${checks} (whole run)`,
    value: Number(first['participants/s (whole run)']),
    unit: 'participants/s',
    target: 100_000,
    better: 'higher',
    detail: {
      'giveaways phase /s': first['participants/s (giveaways phase)'] ?? '',
      'if idle /s': first['participants/s if idle (whole run)'] ?? '',
      'rerun rows updated': rows.rerun?.['rows updated'] ?? '',
    },
  });
  // The wall rate above is what this (usually shared) machine gave; this one is what the CPU work of the
  // importer and its PostgreSQL backends allows on an idle machine of this size.
  benchResult({
    name: `legacy import, ${members} participants, ${checks} (CPU-based, idle machine)`,
    value: Number(first['participants/s if idle (whole run)']),
    unit: 'participants/s',
    target: 100_000,
    better: 'higher',
    detail: {
      'CPU s importer / PG': first['CPU s importer / PG (whole run)'] ?? '',
      batch,
    },
  });
} finally {
  writer.disconnect();
  await pool.end();
  redisServer.kill('SIGKILL');
  await once(redisServer, 'exit');
  await db.drop();
}
