// Runs one claimed draw: phase 2 (plan, outside any lock) under a renewed lease, then phase 3 (one short
// transaction). A failure gives the lease back with a delay, so any node retries it; a rerun replays the
// frozen entrants and recorded decisions and therefore writes the same winners.
import * as db from 'zapatos/db';
import type pg from 'pg';
import { assertTransition } from '../../giveaways/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { JobEnqueuer, RequirementsEvaluator } from '../ports/index.ts';
import { planDraw, type DrawPlan } from './draw-plan.ts';
import { BeaconUnavailableError, type BeaconSource } from '../beacon/index.ts';
import type { FrozenEntrantsStore } from '../entrants/index.ts';
import { writeResult } from '../results/index.ts';
import { lockGiveaway } from '../close/index.ts';
import { releaseDrawRun, renewLease, type ClaimedRun } from './execution.queries.ts';
import { deleteDrawRun } from '../results/index.ts';

export interface DrawRunnerDeps {
  pool: pg.Pool;
  frozen: FrozenEntrantsStore;
  beacon: BeaconSource | null;
  logger: Logger;
  requirements: RequirementsEvaluator;
  jobs: JobEnqueuer;
  checkConcurrency: number;
  checkRetryDelaysMs: readonly number[];
  leaseMs: number;
  retryBaseMs: number;
  manualWindowMs: number;
}

export type RunOutcome = 'completed' | 'skipped' | 'failed';

const MAX_RETRY_MS = 60_000;

export class DrawRunner {
  constructor(private readonly deps: DrawRunnerDeps) {}

  async run(claim: ClaimedRun, token: string, stop?: AbortSignal): Promise<RunOutcome> {
    const { giveawayId } = claim;
    const lease = new AbortController();
    const onStop = () => lease.abort(new Error('draw stopped: the node is shutting down'));
    if (stop?.aborted) onStop();
    else stop?.addEventListener('abort', onStop, { once: true });
    const renewal = setInterval(
      () => {
        renewLease(this.deps.pool, giveawayId, token, this.deps.leaseMs)
          .then((held) => {
            if (!held) lease.abort(new Error('draw lease lost to another node'));
          })
          // A failed renewal is not a lost lease: the next one may work, and phase 3 is idempotent anyway.
          .catch((err: unknown) => this.deps.logger.warn({ err, giveawayId }, 'Draw lease renewal failed'));
      },
      Math.max(50, Math.floor(this.deps.leaseMs / 3)),
    );
    try {
      const started = performance.now();
      const plan = await this.plan(giveawayId, lease.signal);
      lease.signal.throwIfAborted();
      const planned = performance.now();
      const outcome = await this.commit(plan);
      // Where a draw's time goes (bench/draw-1m.bench.ts reads these at LOG_LEVEL=debug).
      this.deps.logger.debug(
        {
          giveawayId,
          entrants: plan.entrants.count,
          planMs: Math.round(planned - started),
          commitMs: Math.round(performance.now() - planned),
          outcome,
        },
        'Draw run timing',
      );
      return outcome;
    } catch (err) {
      const stopping = stop?.aborted === true;
      const backoff = Math.min(this.deps.retryBaseMs * 2 ** (claim.attempts - 1), MAX_RETRY_MS);
      const waiting = err instanceof BeaconUnavailableError;
      const retryInMs = stopping ? 0 : waiting ? Math.min(err.retryInMs ?? backoff, MAX_RETRY_MS) : backoff;
      if (waiting && !stopping) {
        // Expected around ends_at (the round is seconds away); the giveaway stays `drawing` until it verifies.
        this.deps.logger.warn(
          { giveawayId, attempt: claim.attempts, retryInMs, reason: err.message },
          'Draw waits for its drand beacon',
        );
      } else {
        this.deps.logger.error(
          { err, giveawayId, attempt: claim.attempts, retryInMs },
          'Draw failed; will retry',
        );
      }
      await releaseDrawRun(this.deps.pool, giveawayId, token, retryInMs, errorText(err)).catch((e: unknown) =>
        this.deps.logger.error(
          { err: e, giveawayId },
          'Could not release a failed draw; its lease will expire',
        ),
      );
      return 'failed';
    } finally {
      clearInterval(renewal);
      stop?.removeEventListener('abort', onStop);
    }
  }

  /** Phase 2 alone: what the draw would write. Pure with respect to giveaway state (records decisions only). */
  plan(giveawayId: string, signal: AbortSignal = new AbortController().signal): Promise<DrawPlan> {
    return planDraw(
      {
        pool: this.deps.pool,
        frozen: this.deps.frozen,
        beacon: this.deps.beacon,
        evaluator: this.deps.requirements,
        checkConcurrency: this.deps.checkConcurrency,
        checkRetryDelaysMs: this.deps.checkRetryDelaysMs,
      },
      giveawayId,
      signal,
    );
  }

  /** Phase 3: writes the plan if the giveaway still awaits it; a finished or cancelled one is left alone. */
  commit(plan: DrawPlan): Promise<'completed' | 'skipped'> {
    return db.readCommitted(this.deps.pool, async (tx) => {
      const g = await lockGiveaway(tx, plan.giveawayId, this.deps.manualWindowMs);
      if (!g) return 'skipped';
      const awaiting =
        (g.status === 'active' && g.closedAt !== null) ||
        g.status === 'drawing' ||
        (g.status === 'pending' && g.fallbackDue);
      if (!awaiting) {
        // Another node finished it, the owner finalised or cancelled it: nothing to write, stop retrying.
        await deleteDrawRun(tx, plan.giveawayId);
        return 'skipped';
      }
      assertTransition(g.status, 'completed', 'system');
      await writeResult(tx, this.deps.jobs, {
        giveawayId: plan.giveawayId,
        creatorId: g.creatorId,
        winners: plan.bundle.winners.map((w) => Number(w.user_id)),
        source: 'draw',
        bundle: plan.bundle,
      });
      return 'completed';
    });
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
