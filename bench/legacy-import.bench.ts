// Legacy Redis → PostgreSQL import of a keyspace with 1M participants (the target: ≥ 100k
// participants/s), then the rerun over the imported data (must change nothing).
// Run: npx tsx bench/legacy-import.bench.ts [participants=1000000] [giveaways=20] [writers=2] [batch=5000]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { runImport, type ProgressSink } from '../server/legacy-import/index.ts';
import { freePort } from '../test/support/free-port.ts';
import { writeBulkFixture } from '../test/legacy-import/bulk-fixture.ts';
import { freshDatabase, machine } from './support/bench-env.ts';

const [participants = 1_000_000, giveaways = 20, writers = 2, batch = 5000] = process.argv
  .slice(2)
  .map(Number);

/** Records when each phase starts, to time them. */
class PhaseClock implements ProgressSink {
  readonly phases: Array<{ name: string; at: number }> = [];
  phase(name: string): void {
    this.phases.push({ name, at: performance.now() });
  }
  advance(): void {}
  note(): void {}
  skipped(): void {}
  end(): void {
    this.phases.push({ name: 'end', at: performance.now() });
  }
  durations(): Record<string, number> {
    return Object.fromEntries(
      this.phases.slice(0, -1).map((p, i) => [p.name, ((this.phases[i + 1]?.at ?? p.at) - p.at) / 1000]),
    );
  }
}

const port = await freePort();
const redisServer = spawn(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  { stdio: 'ignore' },
);
const url = `redis://127.0.0.1:${port}`;
const writer = new Redis(url, { retryStrategy: (n) => (n > 50 ? null : 100) });
writer.on('error', () => undefined); // Refused until redis-server listens: retried.
const db = await freshDatabase('bench_legacy_import');
db.pool.on('error', () => undefined); // Idle clients are terminated by the final DROP ... WITH (FORCE).
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
  for (const run of ['first run', 'rerun']) {
    const clock = new PhaseClock();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const report = await runImport({ from: url, pool: db.pool, batch, writers, progress: clock });
    const total = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const d = clock.durations();
    const phase = d.giveaways ?? NaN;
    rows[run] = {
      'total s': +total.toFixed(2),
      'scan s': +(d.scan ?? NaN).toFixed(2),
      'users s': +(d.users ?? NaN).toFixed(2),
      'giveaways s': +phase.toFixed(2),
      'participants imported': report.imported.participants,
      'participants/s (giveaways phase)': Math.round(members / phase),
      'participants/s (whole run)': Math.round(members / total),
      'importer CPU s': +((used.user + used.system) / 1e6).toFixed(2),
      'rows updated': Object.values(report.updated).reduce((a, b) => a + b, 0),
    };
  }
  console.log(`legacy import, batch ${batch}, ${writers} writers (${machine()})`);
  console.table(rows);
} finally {
  writer.disconnect();
  redisServer.kill('SIGKILL');
  await once(redisServer, 'exit');
  await db.drop();
}
