// Collects joins from every transport and flushes them as one SQL statement per batch: every few ms or
// every few hundred rows. Per-join transactions would serialise PostgreSQL on commits, counter updates and
// NOTIFY (reference/performance-notes.md §4–§5); batching turns 10k joins/s into ~100 statements/s.
// Batches run in parallel only across lanes that partition giveaways, because two batches touching one giveaway
// serialise on its row lock anyway (that lock is what makes capacity exact): a second one would only hold a
// pooled connection while it waits.
import type pg from 'pg';
import type { Logger } from '../platform/logger.ts';
import { toAppError } from '../platform/errors.ts';
import { applyJoinBatch, type JoinOutcome, type JoinRequest } from './joins.queries.ts';

export interface JoinBatcherOptions {
  pool: pg.Pool;
  logger: Logger;
  /** Flush when this many joins wait in a lane. */
  maxBatch?: number;
  /** Flush at most this long after the first join of a batch arrived. */
  maxDelayMs?: number;
  /**
   * Lanes, i.e. batches in flight at once (each holds one pooled connection for one statement). Joins are
   * partitioned by giveaway: a giveaway's joins always take the same lane and a lane has one batch in
   * flight, so batches in flight never share a giveaway and never wait on each other's row locks.
   */
  lanes?: number;
  /** Observes each flushed batch (size, ms) for metrics and benchmarks. */
  onFlush?: (size: number, ms: number) => void;
}

interface Pending extends JoinRequest {
  resolve(outcome: JoinOutcome): void;
  reject(err: unknown): void;
}

interface Lane {
  queue: Pending[];
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
}

/** FNV-1a of the id: cheap, and spreads uuids of any version evenly. */
function laneOf(giveawayId: string, lanes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < giveawayId.length; i++) h = Math.imul(h ^ giveawayId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
}

export class JoinBatcher {
  private readonly lanes: Lane[];
  private closed = false;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;

  constructor(private readonly opts: JoinBatcherOptions) {
    this.maxBatch = opts.maxBatch ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 3;
    this.lanes = Array.from({ length: Math.max(1, opts.lanes ?? 4) }, () => ({
      queue: [],
      timer: undefined,
      running: undefined,
    }));
  }

  enqueue(request: JoinRequest): Promise<JoinOutcome> {
    if (this.closed)
      return Promise.reject(toAppError(new Error('Connection terminated: join batcher stopped')));
    const lane = this.lanes[laneOf(request.giveawayId, this.lanes.length)] as Lane;
    return new Promise((resolve, reject) => {
      lane.queue.push({
        giveawayId: request.giveawayId,
        userId: request.userId,
        source: request.source,
        resolve,
        reject,
      });
      this.flushSoon(lane, lane.queue.length >= this.maxBatch ? 0 : this.maxDelayMs);
    });
  }

  /** Flushes what is queued and waits for every batch in flight. */
  async close(): Promise<void> {
    this.closed = true;
    for (const lane of this.lanes) {
      clearTimeout(lane.timer);
      lane.timer = undefined;
    }
    for (;;) {
      for (const lane of this.lanes) this.flush(lane);
      const running = this.lanes.flatMap((l) => (l.running ? [l.running] : []));
      if (running.length === 0) return;
      await Promise.race(running);
    }
  }

  private flushSoon(lane: Lane, delayMs: number): void {
    if (delayMs === 0) {
      clearTimeout(lane.timer);
      lane.timer = undefined;
      this.flush(lane);
      return;
    }
    lane.timer ??= setTimeout(() => {
      lane.timer = undefined;
      this.flush(lane);
    }, delayMs);
  }

  private flush(lane: Lane): void {
    // While the lane's batch runs its queue keeps growing and the next batch is bigger: natural backpressure.
    if (lane.queue.length === 0 || lane.running) return;
    const batch = lane.queue.splice(0, this.maxBatch);
    const started = performance.now();
    lane.running = applyJoinBatch(this.opts.pool, batch)
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
        lane.running = undefined;
        if (lane.queue.length > 0)
          this.flushSoon(lane, lane.queue.length >= this.maxBatch ? 0 : this.maxDelayMs);
      });
  }
}
