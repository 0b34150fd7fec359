// After a failed relay pass, the next ones wait longer (tick × 2^failures, at most 5 s) and the failure is
// logged on the first and every 50th time: a database outage is one error line a few seconds, not ten a second.
// Shared by the cluster relay and the per-node local relay.
import type { Logger } from '../platform/logger.ts';
import type { RelayMetrics } from './relay-metrics.ts';

export class PassBackoff {
  private errors = 0;
  private pausedUntil = 0;

  constructor(
    private readonly tickMs: number,
    private readonly log: Logger,
    private readonly metrics: RelayMetrics,
    private readonly message: string,
  ) {}

  /** A pass should not run yet. */
  get paused(): boolean {
    return Date.now() < this.pausedUntil;
  }

  succeeded(): void {
    this.errors = 0;
  }

  failed(stage: string, err: unknown): void {
    this.errors++;
    this.pausedUntil = Date.now() + Math.min(this.tickMs * 2 ** this.errors, 5_000);
    this.metrics.failed(stage);
    if (this.errors === 1 || this.errors % 50 === 0) {
      this.log.error({ err: (err as Error).message, stage, errors: this.errors }, this.message);
    }
  }
}
