// Runs the deadline scan on worker nodes: a pass at start (deadlines that passed while no worker ran are
// settled at once), then one every `pollMs`. Each place is decided under row locks (ClaimWindows.expire), so
// any number of nodes may sweep together and a restart never rerolls a place twice.
import type { Logger } from '../../platform/logger.ts';
import type { ExpiryReport } from './claim-windows.service.ts';

export interface ClaimDeadlineSweeperOptions {
  claims: { expireDue(limit?: number): Promise<ExpiryReport> };
  logger: Logger;
  /** Default 1 s: windows are at least 10 minutes, and a pass over nothing due is one index probe. */
  pollMs?: number;
  batch?: number;
  onError?: (err: unknown) => void;
}

export class ClaimDeadlineSweeper {
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | null = null;
  private running = false;

  constructor(private readonly opts: ClaimDeadlineSweeperOptions) {
    this.log = opts.logger.child({ module: 'claim-deadlines' });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(() => this.nudge(), this.opts.pollMs ?? 1_000);
    this.nudge();
  }

  /** Runs a pass now unless one is in flight. */
  nudge(): void {
    if (!this.running || this.pass) return;
    this.pass = this.sweep().finally(() => (this.pass = null));
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.pass;
  }

  private async sweep(): Promise<void> {
    const batch = this.opts.batch ?? 50;
    try {
      for (;;) {
        const report = await this.opts.claims.expireDue(batch);
        if (report.rerolled + report.vacated > 0) this.log.info(report, 'Passed on unclaimed places');
        // A full batch of settled places means more may be due; failures wait for the next poll.
        if (!this.running || report.rerolled + report.vacated + report.skipped < batch) return;
      }
    } catch (err) {
      this.log.error({ err }, 'Claim deadline scan failed; retrying on the next tick');
      this.opts.onError?.(err);
    }
  }
}
