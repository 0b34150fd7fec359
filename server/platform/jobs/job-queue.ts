// Durable side effects on pg-boss: jobs are inserted inside the caller's transaction (no commit, no job),
// claimed with FOR UPDATE SKIP LOCKED (one delivery per attempt across every node), retried with backoff,
// then dead-lettered. pg-boss owns its schema and migrates it under its own lock at start().
import pg from 'pg';
import PgBoss from 'pg-boss';
import type * as db from 'zapatos/db';
import type { ConnectionOptions } from 'node:tls';
import type { Logger } from '../logger.ts';
import {
  DEFAULT_RETRY,
  JOB_QUEUES,
  deadLetterOf,
  isJobName,
  queueOptions,
  type DeadLetterName,
  type JobName,
  type RetryPolicy,
} from './job-queues.ts';
import { singletonJobId } from './singleton-id.ts';
import { JobWorker, type JobData, type JobHandler, type WorkOptions } from './job-worker.ts';

export interface EnqueueOptions {
  /** Makes the enqueue idempotent per queue: e.g. `${giveawayId}:${userId}` for a winner DM. */
  singletonKey?: string;
  startAfter?: Date;
}

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobQueueOptions {
  connectionString: string;
  ssl: false | ConnectionOptions;
  logger: Logger;
  /** PostgreSQL schema of pg-boss's tables. */
  schema?: string;
  /** pg-boss keeps its own small pool (fetch, complete, maintenance), separate from the app's. */
  poolMax?: number;
  /** Overrides the retry policy of every queue (tests, incident tuning). */
  retry?: Partial<RetryPolicy>;
  applicationName?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,49}$/;
const DAY_SECONDS = 86_400;

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly schema: string;
  private readonly retry: RetryPolicy;
  private readonly log: Logger;
  private readonly target: { connectionString: string; ssl: false | ConnectionOptions };
  private readonly workers: JobWorker[] = [];
  private started = false;
  private stopping: Promise<void> | undefined;

  constructor(opts: JobQueueOptions) {
    this.schema = opts.schema ?? 'pgboss';
    // The schema name is spliced into a few SQL statements below (as pg-boss itself does), so it is
    // restricted to a plain identifier.
    if (!SCHEMA_NAME.test(this.schema)) throw new Error(`Invalid pg-boss schema name: ${this.schema}`);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.log = opts.logger.child({ module: 'jobs' });
    this.target = { connectionString: opts.connectionString, ssl: opts.ssl };
    this.boss = new PgBoss({
      connectionString: opts.connectionString,
      ssl: opts.ssl,
      schema: this.schema,
      max: opts.poolMax ?? 4,
      application_name: opts.applicationName ?? 'giveaway-jobs',
      // We schedule nothing by cron; the timekeeper would only add a queue and a poller.
      schedule: false,
      // Completed jobs stay in the job table (where their deterministic ids deduplicate re-enqueues) for a
      // week, then in the archive (checked too) for 30 days.
      archiveCompletedAfterSeconds: 7 * DAY_SECONDS,
      archiveFailedAfterSeconds: 7 * DAY_SECONDS,
      deleteAfterDays: 30,
    });
    // Without a listener an 'error' event would crash the process; pg-boss emits one per failed poll while
    // PostgreSQL is away and keeps polling, so a warning is the right weight.
    this.boss.on('error', (err: Error) => this.log.warn({ err: err.message }, 'Job queue error'));
  }

  /** Installs or migrates pg-boss's schema, then creates every queue and applies its current policy. */
  async start(): Promise<void> {
    await this.boss.start();
    await this.withQueueLock(async () => {
      for (const name of JOB_QUEUES) {
        // A dead-letter queue must exist before a queue can point at it (foreign key).
        await this.boss.createQueue(deadLetterOf(name), { name: deadLetterOf(name), policy: 'standard' });
        const options = queueOptions(name, this.retry);
        await this.boss.createQueue(name, options);
        // createQueue leaves an existing queue untouched: re-apply so policy changes in code take effect.
        await this.boss.updateQueue(name, options);
      }
    });
    this.started = true;
  }

  /**
   * pg-boss 10 creates a queue by attaching a partition to its job table; two nodes booting together
   * deadlock on that. A session advisory lock, held on a connection of its own, makes them take turns.
   */
  private async withQueueLock(fn: () => Promise<void>): Promise<void> {
    const client = new pg.Client({ connectionString: this.target.connectionString, ssl: this.target.ssl });
    client.on('error', () => undefined); // A dropped lock connection surfaces as the query's rejection.
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`giveaway:pgboss-queues:${this.schema}`]);
      await fn();
    } finally {
      await client.end().catch(() => undefined); // Ending the session releases the lock.
    }
  }

  /** Stops polling, lets running handlers finish within `timeoutMs`, fails what is left (retried later). */
  stop(timeoutMs = 10_000): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.workers.map((w) => w.stop(timeoutMs)));
      // Our workers are not pg-boss's, so it has nothing in flight: a graceful stop is immediate.
      if (this.started) await this.boss.stop({ graceful: true, wait: true, close: true, timeout: 1_000 });
    })();
    return this.stopping;
  }

  /**
   * Inserts a job through `tx`, the caller's transaction client, so it commits or rolls back with the state
   * change it reports. Returns the job id; with a singletonKey, a repeat returns the existing job's id.
   */
  async enqueue(
    tx: db.Queryable,
    name: JobName,
    data: JobData,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const executor = this.executorFor(tx, name);
    const id = options.singletonKey === undefined ? undefined : singletonJobId(name, options.singletonKey);
    const sent = await this.boss.send(name, data, {
      db: executor,
      ...(id !== undefined ? { id, singletonKey: options.singletonKey } : {}),
      ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    });
    if (sent === null) {
      // ON CONFLICT DO NOTHING: the same (queue, key) job is already in the job table.
      if (id !== undefined) return id;
      throw new Error(`Job queue ${name} refused the job (queue missing?)`);
    }
    if (id !== undefined) await this.dropArchivedRepeats(tx, executor, name, [id]);
    return sent;
  }

  /**
   * enqueue() for many jobs of one queue in one statement (and one archive check): a draw's winner DMs were a
   * round trip or two each inside the result transaction. Same rules: a singletonKey repeat is a no-op, also
   * when the first job was archived long ago.
   */
  async enqueueMany(
    tx: db.Queryable,
    name: JobName,
    jobs: ReadonlyArray<{ data: JobData; singletonKey?: string }>,
  ): Promise<void> {
    const executor = this.executorFor(tx, name);
    if (jobs.length === 0) return;
    const rows = jobs.map(({ data, singletonKey }) =>
      singletonKey === undefined
        ? { name, data }
        : { name, data, id: singletonJobId(name, singletonKey), singletonKey },
    );
    // The job table's primary key is (name, id): ON CONFLICT DO NOTHING skips live repeats.
    await this.boss.insert(rows, { db: executor });
    const keyed = rows.flatMap((r) => ('id' in r && r.id !== undefined ? [r.id] : []));
    if (keyed.length > 0) await this.dropArchivedRepeats(tx, executor, name, keyed);
  }

  /** Runs `handler` for jobs of `name` on this node until stop(). */
  work(name: JobName, handler: JobHandler, opts: WorkOptions = {}): void {
    if (!this.started || this.stopping) throw new Error('work() needs a started, not stopping, JobQueue');
    const worker = new JobWorker(
      this.boss,
      name,
      handler,
      { batchSize: opts.batchSize ?? 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 },
      this.log,
    );
    this.workers.push(worker);
    worker.start();
  }

  /** Jobs of a queue by state, live and archived together. For tests, health pages and operators. */
  async countByState(name: JobName | DeadLetterName): Promise<Record<JobState, number>> {
    // pg-boss's own pool exists only between start() and stop().
    if (!this.started || this.stopping) throw new Error('countByState() needs a running JobQueue');
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    const { rows } = await this.boss.getDb().executeSql(
      `SELECT state::text AS state, count(*)::int AS n FROM (
         SELECT state FROM ${this.schema}.job WHERE name = $1
         UNION ALL SELECT state FROM ${this.schema}.archive WHERE name = $1) AS j
       GROUP BY state`,
      [name],
    );
    for (const row of rows as Array<{ state: JobState; n: number }>) counts[row.state] = row.n;
    return counts;
  }

  /** What every enqueue checks first, and pg-boss's handle on the caller's transaction. */
  private executorFor(tx: db.Queryable, name: JobName): PgBoss.Db {
    if (!this.started) throw new Error('JobQueue.start() must complete before enqueue()');
    if (!isJobName(name)) throw new Error(`Unknown job queue: ${String(name)}`);
    return { executeSql: (text: string, values: unknown[]) => tx.query(text, values) };
  }

  /**
   * Singleton jobs just inserted whose key was done long ago: the archive holds the first one, where the
   * primary key no longer guards it, so the copy is dropped (rare). Checked after the insert so that, at READ
   * COMMITTED, an archive move racing with us is always seen.
   */
  private async dropArchivedRepeats(
    tx: db.Queryable,
    executor: PgBoss.Db,
    name: JobName,
    ids: readonly string[],
  ): Promise<void> {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id::text AS id FROM ${this.schema}.archive WHERE name = $1 AND id = ANY($2::uuid[])`,
      [name, ids],
    );
    for (const { id } of rows) await this.boss.deleteJob(name, id, { db: executor });
  }
}
