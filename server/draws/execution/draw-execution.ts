// Drawing (phases 2–3): claims due draws under leases and runs them (waiting for a committed drand round),
// a few at a time. Any number of nodes may run draws at once: SKIP LOCKED and leases keep each draw single.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Closing, CloseReport, CloseState } from '../close/index.ts';
import type { DrawRunner, RunOutcome } from './draw-runner.ts';
import { claimDrawRuns, selectNextDueInMs } from './execution.queries.ts';

export interface DrawExecutionDeps {
  pool: pg.Pool;
  runner: DrawRunner;
  /** The draw of a giveaway closed on demand runs right after its close. */
  closing: Pick<Closing, 'closeGiveaway' | 'closeDue'>;
  leaseMs: number;
  /** Draws run at once by one runDueDraws call. */
  drawConcurrency: number;
  manualWindowMs: number;
}

export type CloseOutcome = CloseState | 'failed';

export interface DrawReport {
  completed: number;
  skipped: number;
  failed: number;
}

export class DrawExecution {
  readonly runner: DrawRunner;

  constructor(private readonly deps: DrawExecutionDeps) {
    this.runner = deps.runner;
  }

  /** Closes one giveaway now if it is due, and runs its draw unless another node holds it. */
  async closeAndDraw(giveawayId: string): Promise<CloseOutcome> {
    const state = await this.deps.closing.closeGiveaway(giveawayId);
    if (state !== 'drawing') return state;
    const token = randomUUID();
    const [claim] = await claimDrawRuns(this.deps.pool, {
      limit: 1,
      leaseMs: this.deps.leaseMs,
      token,
      giveawayId,
    });
    if (!claim) return 'drawing';
    const outcome = await this.runner.run(claim, token);
    return outcome === 'skipped' ? 'not_active' : outcome;
  }

  /** Everything due right now, to completion: activations, closes, fallbacks, then the draws. */
  async processDue(limit = 50, stop?: AbortSignal): Promise<CloseReport & DrawReport> {
    const closed = await this.deps.closing.closeDue(limit);
    const drawn = await this.runDueDraws(limit, stop);
    return { ...closed, ...drawn };
  }

  /** Claims draws nobody holds and runs them (a few at a time); failures are logged and retried later. */
  async runDueDraws(limit = 50, stop?: AbortSignal): Promise<DrawReport> {
    const token = randomUUID();
    const claims = await claimDrawRuns(this.deps.pool, { limit, leaseMs: this.deps.leaseMs, token });
    const outcomes: RunOutcome[] = [];
    let next = 0;
    const worker = async () => {
      for (let claim = claims[next++]; claim; claim = claims[next++]) {
        outcomes.push(await this.runner.run(claim, token, stop));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.drawConcurrency, claims.length) }, worker));
    const count = (o: RunOutcome) => outcomes.filter((x) => x === o).length;
    return { completed: count('completed'), skipped: count('skipped'), failed: count('failed') };
  }

  /** Milliseconds until the next close, start, fallback or draw retry is due; null when none is. */
  nextDueInMs(): Promise<number | null> {
    return selectNextDueInMs(this.deps.pool, this.deps.manualWindowMs);
  }
}
