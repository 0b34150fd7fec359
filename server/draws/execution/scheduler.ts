// Closes giveaways on time: a timer aimed at the nearest due moment (ends_at, start, fallback, draw retry),
// a poll as a backstop, and nudge() for change notifications. Closing (short transactions) and drawing
// (requirement checks, possibly slow) run in separate lanes, so a long draw never delays the next close.
import type { Logger } from '../../platform/logger.ts';
import type { CloseReport } from '../close/index.ts';
import type { DrawReport } from './draw-execution.ts';
import { SerialLane } from './serial-lane.ts';

/** The parts the scheduler drives: closing (../close) and drawing (DrawExecution). */
export interface SchedulableClosing {
  closeDue(limit?: number): Promise<CloseReport>;
}
export interface SchedulableExecution {
  runDueDraws(limit?: number, stop?: AbortSignal): Promise<DrawReport>;
  nextDueInMs(): Promise<number | null>;
}

/** Which of the scheduler's own steps failed (each is retried on the next tick). */
export type SchedulerStep = 'close' | 'draw' | 'next-due';

export interface DrawSchedulerOptions {
  closing: SchedulableClosing;
  execution: SchedulableExecution;
  logger: Logger;
  /** Told of every failed step besides the log, e.g. to count it in /metrics. Must not throw. */
  onError?: (step: SchedulerStep, err: unknown) => void;
  /** Backstop poll (default 1 s): bounds the delay when a timer or a notification is missed. */
  pollMs?: number;
  /** Work items per pass. */
  batch?: number;
}

/** The database's `now()` must have passed ends_at when the close runs; aim this far after it. */
const AIM_AFTER_MS = 15;

export class DrawScheduler {
  private readonly log: Logger;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly stopper = new AbortController();
  private running = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private aimTimer: NodeJS.Timeout | undefined;
  private readonly closeLane = new SerialLane(
    () => this.closePass(),
    () => this.running,
  );
  private readonly drawLane = new SerialLane(
    () => this.drawPass(),
    () => this.running,
  );

  constructor(private readonly opts: DrawSchedulerOptions) {
    this.log = opts.logger.child({ module: 'draw-scheduler' });
    this.pollMs = opts.pollMs ?? 1_000;
    this.batch = opts.batch ?? 50;
  }

  /** Starts the loop; overdue work (e.g. from before a restart) is processed at once. */
  start(): void {
    if (this.running || this.stopper.signal.aborted) return;
    this.running = true;
    this.pollTimer = setInterval(() => this.nudge(), this.pollMs);
    this.nudge();
  }

  /** Run a pass soon: called by the poll, the aim timer, and the realtime relay on giveaway changes. */
  nudge(): void {
    this.closeLane.trigger();
  }

  /** Stops timers, aborts draws in progress (their leases are released for another node) and waits. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopper.abort();
    clearInterval(this.pollTimer);
    clearTimeout(this.aimTimer);
    await Promise.all([this.closeLane.settled(), this.drawLane.settled()]);
    // A lane finishing during the wait may have started the other one.
    await Promise.all([this.closeLane.settled(), this.drawLane.settled()]);
  }

  private async closePass(): Promise<void> {
    try {
      const report = await this.opts.closing.closeDue(this.batch);
      if (report.closed + report.pending + report.activated + report.fallbacks > 0) {
        this.log.info(report, 'Closed due giveaways');
      }
    } catch (err) {
      this.log.error({ err }, 'Closing due giveaways failed; retrying on the next tick');
      this.opts.onError?.('close', err);
    }
    this.drawLane.trigger();
    await this.aim();
  }

  private async drawPass(): Promise<void> {
    try {
      const report = await this.opts.execution.runDueDraws(this.batch, this.stopper.signal);
      if (report.completed + report.failed > 0) this.log.info(report, 'Ran due draws');
      // A full batch means more may be waiting: go again rather than wait for the poll.
      if (report.completed + report.failed + report.skipped >= this.batch) this.drawLane.rerunAfterThis();
    } catch (err) {
      this.log.error({ err }, 'Running due draws failed; retrying on the next tick');
      this.opts.onError?.('draw', err);
    }
  }

  /** Sets a timer for the next due moment when it comes before the next poll. */
  private async aim(): Promise<void> {
    if (!this.running) return;
    let inMs: number | null;
    try {
      inMs = await this.opts.execution.nextDueInMs();
    } catch (err) {
      this.log.warn({ err }, 'Could not read the next due time; the poll covers it');
      this.opts.onError?.('next-due', err);
      return;
    }
    clearTimeout(this.aimTimer);
    // Already overdue after a pass means it is held elsewhere (another node, a lease): the poll covers it,
    // and re-running at once would spin.
    if (inMs === null || inMs <= 0 || inMs >= this.pollMs || !this.running) return;
    this.aimTimer = setTimeout(() => this.nudge(), inMs + AIM_AFTER_MS);
  }
}
