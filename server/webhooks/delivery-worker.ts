// Durable delivery: a pump claims the head of every lane (endpoint, giveaway) that is due and queues one
// job-queue job for it; the job sends one signed attempt and records it. One head per lane at a time gives
// per-endpoint ordering per giveaway; a failed head is retried with backoff before anything behind it.
import * as db from 'zapatos/db';
import type pg from 'pg';
import { z } from 'zod';
import type { Logger } from '../platform/index.ts';
import type { Job, JobQueue } from '../platform/jobs/index.ts';
import { postWebhook } from './http-sender.ts';
import { webhookBody } from './webhook-events.ts';
import { signHeaders } from './webhook-secret.ts';
import { backoffMs, type WebhookSettings } from './webhook-settings.ts';
import * as q from './webhooks.queries.ts';

const QUEUE = 'webhook-deliver' as const;
const DeliverJob = z.object({ delivery_id: z.string().min(1).max(100), attempts: z.number().int().min(0) });

export interface DeliveryWorkerDeps {
  pool: pg.Pool;
  jobs: Pick<JobQueue, 'enqueue' | 'work'>;
  logger: Logger;
  settings: WebhookSettings;
}

/** Deliveries in flight at once per node. */
const DELIVERY_LANES = 5;

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly log: Logger;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.log = deps.logger.child({ module: 'webhooks' });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // Independent lanes of one job each, not one loop claiming batches: a batch settles only when its
    // slowest delivery does, so one slow endpoint would hold back every other endpoint's deliveries.
    for (let lane = 0; lane < DELIVERY_LANES; lane++)
      this.deps.jobs.work(QUEUE, (job) => this.deliver(job), {
        batchSize: 1,
        pollingIntervalSeconds: this.deps.settings.jobPollSec,
      });
    this.nudge();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs the pump now (or right after the current run), instead of waiting for the poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.pump()
      .catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'Webhook pump failed'))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.nudge();
        } else {
          this.timer = setTimeout(() => this.nudge(), this.deps.settings.pollMs);
        }
      });
  }

  private async pump(): Promise<void> {
    // Claim and enqueue in one transaction: a claimed head always has its job, or neither exists.
    await db.readCommitted(this.deps.pool, async (tx) => {
      const heads = await q.claimDueHeads(tx, 200, this.deps.settings.staleSec);
      for (const h of heads) {
        await this.deps.jobs.enqueue(tx, QUEUE, { delivery_id: h.id, attempts: h.attempts });
      }
    });
  }

  private async deliver(job: Job): Promise<void> {
    const parsed = DeliverJob.safeParse(job.data);
    if (!parsed.success) {
      this.log.error({ jobId: job.id }, 'Malformed webhook job');
      return;
    }
    const { delivery_id: id, attempts } = parsed.data;
    const { pool, settings } = this.deps;
    const d = await q.selectDeliveryToSend(pool, id);
    // Already sent, superseded, or a stale job for an earlier attempt: nothing to do.
    if (!d || d.status !== 'pending' || d.attempts !== attempts) return;
    if (!d.enabled || d.earlier_pending) {
      // Disabled meanwhile, or a redelivery put an older event ahead in its lane: the pump decides again.
      await q.releaseDelivery(pool, id);
      return;
    }
    const overlap = d.previous_secret && d.previous_secret_until && d.previous_secret_until > new Date();
    const body = webhookBody({ type: d.event_type, created_at: d.event_created_at, payload: d.payload });
    const headers = signHeaders(d.id, body, {
      current: d.secret,
      ...(overlap && d.previous_secret ? { previous: d.previous_secret } : {}),
    });
    const outcome = await postWebhook(d.url, headers, body, settings, settings);
    const attempt = attempts + 1;
    const expired = Date.now() - d.created_at.getTime() >= settings.retryWindowMs;
    const status = outcome.ok ? 'delivered' : !outcome.retryable || expired ? 'failed' : 'pending';
    const retryInMs = status === 'pending' ? backoffMs(attempt, settings) : 0;
    const { disabled } = await db.readCommitted(pool, async (tx) => {
      const recorded = await q.recordAttempt(tx, id, attempts, {
        status,
        httpStatus: outcome.status,
        error: outcome.ok ? null : outcome.error,
        retryInMs,
      });
      if (!recorded) return { disabled: false };
      return q.markEndpointHealth(tx, d.endpoint_id, outcome.ok, settings.disableAfterMs / 1000);
    });
    if (!outcome.ok) {
      this.log.info(
        { endpoint: d.endpoint_id, delivery: id, attempt, error: outcome.error, status, retryInMs },
        'Webhook attempt failed',
      );
    }
    if (disabled)
      this.log.warn({ endpoint: d.endpoint_id }, 'Webhook endpoint disabled after failing for days');
    // The next event in this lane (or this one's retry, when due) goes out without waiting for the poll.
    this.nudge();
  }
}
