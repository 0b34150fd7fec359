// Collects joins from every transport and flushes them as one SQL statement per batch: every few ms or
// every few hundred rows. Per-join transactions would serialise PostgreSQL on commits, counter updates and
// NOTIFY (reference/performance-notes.md §4–§5); batching turns 10k joins/s into ~100 statements/s.
import type pg from 'pg';
import type { Logger } from '../platform/logger.ts';
import { toAppError } from '../platform/errors.ts';
import { applyJoinBatch, type JoinOutcome, type JoinRequest } from './joins.queries.ts';

export interface JoinBatcherOptions {
  pool: pg.Pool;
  logger: Logger;
  /** Flush when this many joins wait. */
  maxBatch?: number;
  /** Flush at most this long after the first join of a batch arrived. */
  maxDelayMs?: number;
  /** Batches in flight at once (each holds one pooled connection for one statement). */
  maxConcurrent?: number;
  /** Observes each flushed batch (size, ms) for metrics and benchmarks. */
  onFlush?: (size: number, ms: number) => void;
}

interface Pending extends JoinRequest {
  resolve(outcome: JoinOutcome): void;
  reject(err: unknown): void;
}

export class JoinBatcher {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private readonly flushing = new Set<Promise<void>>();
  private closed = false;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly maxConcurrent: number;

  constructor(private readonly opts: JoinBatcherOptions) {
    this.maxBatch = opts.maxBatch ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 3;
    this.maxConcurrent = opts.maxConcurrent ?? 4;
  }

  enqueue(request: JoinRequest): Promise<JoinOutcome> {
    if (this.closed)
      return Promise.reject(toAppError(new Error('Connection terminated: join batcher stopped')));
    return new Promise((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.maxDelayMs);
    });
  }

  /** Flushes what is queued and waits for every batch in flight. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    while (this.queue.length > 0 || this.flushing.size > 0) {
      if (this.queue.length > 0 && this.inFlight < this.maxConcurrent) this.flush();
      await Promise.race(this.flushing);
    }
  }

  private flushSoon(delayMs: number): void {
    if (delayMs === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, delayMs);
  }

  private flush(): void {
    // With every slot busy, the queue keeps growing and the next batch is bigger: natural backpressure.
    if (this.queue.length === 0 || this.inFlight >= this.maxConcurrent) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inFlight++;
    const started = performance.now();
    const run = applyJoinBatch(this.opts.pool, batch)
      .then((outcomes) => {
        this.opts.onFlush?.(batch.length, performance.now() - started);
        batch.forEach((p, i) => p.resolve(outcomes[i] ?? 'not_found'));
      })
      .catch((err: unknown) => {
        this.opts.logger.error({ err, size: batch.length }, 'Join batch failed');
        const error = toAppError(err);
        for (const p of batch) p.reject(error);
      })
      .finally(() => {
        this.inFlight--;
        this.flushing.delete(run);
        if (this.queue.length > 0) this.flushSoon(this.queue.length >= this.maxBatch ? 0 : this.maxDelayMs);
      });
    this.flushing.add(run);
  }
}
