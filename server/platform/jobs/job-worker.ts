// One polling loop per (node, queue). We drive pg-boss's fetch/complete/fail ourselves instead of
// boss.work(): pg-boss 10 settles a batch with un-awaited queries (an unhandled rejection, so a crash, if
// PostgreSQL drops right then) and retries a whole batch when one job fails.
import { setTimeout as sleep } from 'node:timers/promises';
import type PgBoss from 'pg-boss';
import type { Logger } from '../logger.ts';
import type { JobName } from './job-queues.ts';

/** A job's payload: a JSON object. Handlers validate it (zod) before use. */
export type JobData = Record<string, unknown>;

export interface Job {
  id: string;
  name: JobName;
  data: JobData;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
}

/** Throwing (or rejecting) fails this attempt; pg-boss retries it per the queue's policy. */
export type JobHandler = (job: Job) => Promise<void>;

export interface WorkOptions {
  /** Jobs claimed per poll and run concurrently; each succeeds or fails on its own. */
  batchSize?: number;
  /** Pause between polls that found nothing. A poll that found work is followed at once by the next. */
  pollingIntervalSeconds?: number;
}

type Fetched = PgBoss.JobWithMetadata<JobData>;

export class JobWorker {
  private stopping = false;
  private readonly wake = new AbortController();
  private readonly inFlight = new Map<string, Fetched>();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly boss: PgBoss,
    private readonly name: JobName,
    private readonly handler: JobHandler,
    private readonly opts: Required<WorkOptions>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops polling and waits for running handlers; after `timeoutMs` fails them so they are retried soon. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    if (!this.loop) return;
    const deadline = new AbortController();
    const timedOut = await Promise.race([
      this.loop.then(() => false),
      sleep(timeoutMs, true, { signal: deadline.signal }).catch(() => false),
    ]);
    deadline.abort();
    if (timedOut && this.inFlight.size > 0) {
      for (const job of this.inFlight.values()) await this.fail(job, new Error('Worker stopped mid-job'));
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      // fetch() claims with FOR UPDATE SKIP LOCKED; it swallows database errors and returns [] (pg-boss
      // emits nothing), so an outage just looks like an empty queue until PostgreSQL is back.
      const jobs = await this.boss.fetch<JobData>(this.name, {
        batchSize: this.opts.batchSize,
        includeMetadata: true,
      });
      if (jobs.length > 0) {
        await this.settle(jobs);
        continue;
      }
      await sleep(this.opts.pollingIntervalSeconds * 1000, undefined, { signal: this.wake.signal }).catch(
        () => undefined,
      );
    }
  }

  private async settle(jobs: Fetched[]): Promise<void> {
    for (const job of jobs) this.inFlight.set(job.id, job);
    const outcomes = await Promise.allSettled(jobs.map((job) => this.runOne(job)));
    const done: string[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      const job = jobs[i];
      if (!job) continue;
      if (outcome.status === 'fulfilled') done.push(job.id);
      else await this.fail(job, outcome.reason);
    }
    if (done.length > 0) {
      // If this write is lost the job stays 'active' until it expires and is then retried: delivery is
      // at-least-once, so handlers must tolerate a repeat.
      await this.boss
        .complete(this.name, done)
        .catch((err: unknown) =>
          this.log.warn({ queue: this.name, err: (err as Error).message }, 'Could not mark jobs completed'),
        );
    }
    for (const job of jobs) this.inFlight.delete(job.id);
  }

  /** Bounded by the job's expiry: past it pg-boss would hand the job to another worker anyway. */
  private async runOne(job: Fetched): Promise<void> {
    const limitMs = Math.max(1, job.expireInSeconds) * 1000;
    const timeout = new AbortController();
    try {
      await Promise.race([
        this.handler({
          id: job.id,
          name: this.name,
          data: job.data,
          retryCount: job.retryCount,
          retryLimit: job.retryLimit,
        }),
        sleep(limitMs, undefined, { signal: timeout.signal }).then(() => {
          throw new Error(`Handler exceeded ${limitMs} ms`);
        }),
      ]);
    } finally {
      timeout.abort();
    }
  }

  private async fail(job: Fetched, reason: unknown): Promise<void> {
    const message = reason instanceof Error ? reason.message : String(reason);
    const last = job.retryCount >= job.retryLimit;
    this.log[last ? 'error' : 'warn'](
      { queue: this.name, jobId: job.id, attempt: job.retryCount + 1, err: message },
      last ? 'Job failed for good; dead-lettered' : 'Job failed; will retry',
    );
    await this.boss
      .fail(this.name, job.id, { message })
      .catch((err: unknown) =>
        this.log.warn({ queue: this.name, err: (err as Error).message }, 'Could not record job failure'),
      );
  }
}
