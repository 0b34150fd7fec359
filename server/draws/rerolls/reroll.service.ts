// Rerolls (POST /giveaways/:id/winners/:place/reroll): the owner or an admin gives a place to the next reserve,
// or to the continued stream. Computed outside the row lock (checks may ask Telegram), then written in one
// short transaction that re-checks nothing moved: bundle, winner, prizes, counter, log and the winner's DM job.
import * as db from 'zapatos/db';
import type pg from 'pg';
import type { RerollBody, RerollResult } from '../../../schema/contract/draws.ts';
import { AppError } from '../../platform/errors.ts';
import type { DrawPrincipal, JobEnqueuer, RequirementsEvaluator, WebhookPublisher } from '../ports/index.ts';
import { recordPlaceChange } from '../claims/place-events.ts';
import { selectDrawRequirements } from '../execution/index.ts';
import { checkEligibility } from '../execution/index.ts';
import type { FrozenEntrantsStore } from '../entrants/index.ts';
import {
  DrawProtocolError,
  currentWinners,
  sameUserId,
  type ProofBundle,
  type RandomProofBundle,
} from '../protocol/index.ts';
import { planReroll, type RerollPlan } from './reroll-plan.ts';
import { selectPlaceStatus, selectRerollState, writeReroll, type RerollState } from './reroll.queries.ts';

export interface RerollsDeps {
  pool: pg.Pool;
  frozen: FrozenEntrantsStore;
  jobs: JobEnqueuer;
  evaluator: RequirementsEvaluator;
  checkRetryDelaysMs: readonly number[];
  /** giveaway.winner_changed for the creator's webhook endpoints. */
  webhooks: WebhookPublisher;
}

const ATTEMPTS = 3;

export class Rerolls {
  constructor(private readonly deps: RerollsDeps) {}

  async reroll(
    principal: DrawPrincipal,
    giveawayId: string,
    place: number,
    body: RerollBody,
  ): Promise<RerollResult> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const state = await selectRerollState(this.deps.pool, giveawayId, false);
      const bundle = this.rerollable(principal, state, place, body);
      const plan = await this.plan(giveawayId, bundle, place, body.reason);
      const result = await db.readCommitted(this.deps.pool, async (tx) => {
        const locked = await selectRerollState(tx, giveawayId, true);
        // Another reroll (or a status change) landed meanwhile: compute again from the new state.
        if (!locked || locked.status !== 'completed' || locked.rerollsCount !== state?.rerollsCount)
          return null;
        const held = await selectPlaceStatus(tx, giveawayId, place);
        if (held.distributed) {
          throw new AppError('CONFLICT', `The prize of place ${place} was already handed out.`);
        }
        // Left empty by its claim deadline (no reserve was left): the proof still names the last holder.
        if (held.userId === null) throw new AppError('CONFLICT', `Place ${place} is empty.`);
        return this.write(tx, principal, giveawayId, plan, body);
      });
      if (result) return result;
    }
    throw new AppError('CONFLICT', 'The winners kept changing while rerolling; try again.');
  }

  /** The bundle to extend, once the caller, status and place allow a reroll. */
  private rerollable(
    principal: DrawPrincipal,
    state: RerollState | undefined,
    place: number,
    body: RerollBody,
  ): RandomProofBundle {
    if (!state) throw new AppError('NOT_FOUND', 'No such giveaway.');
    if (state.creatorId !== principal.userId && !principal.isAdmin) {
      throw new AppError('FORBIDDEN', 'Only the creator can reroll a winner.');
    }
    if (state.status !== 'completed' || !state.bundle) {
      throw new AppError('CONFLICT', 'Only a drawn giveaway has winners to reroll.');
    }
    if (!isRandom(state.bundle)) {
      throw new AppError('CONFLICT', 'Winners picked by hand have no reserves or draw to continue.');
    }
    const holder = currentWinners(state.bundle).find((w) => w.place === place);
    if (!holder) throw new AppError('NOT_FOUND', `There is no winner at place ${place}.`);
    if (body.replaced_user_id !== undefined && !sameUserId(holder.user_id, body.replaced_user_id)) {
      throw new AppError('CONFLICT', `Place ${place} is no longer held by ${body.replaced_user_id}.`, {
        held_by: Number(holder.user_id),
      });
    }
    return state.bundle;
  }

  private async plan(
    giveawayId: string,
    bundle: RandomProofBundle,
    place: number,
    reason: string,
  ): Promise<RerollPlan> {
    const entrants = await this.deps.frozen.get(giveawayId);
    const requirements = await selectDrawRequirements(this.deps.pool, giveawayId);
    const checks = {
      pool: this.deps.pool,
      evaluator: this.deps.evaluator,
      requirements,
      retryDelaysMs: this.deps.checkRetryDelaysMs,
      signal: new AbortController().signal,
    };
    try {
      return await planReroll({
        bundle,
        entrants,
        place,
        reason,
        decide: (userId) => checkEligibility(checks, userId),
      });
    } catch (err) {
      if (err instanceof DrawProtocolError && err.code === 'NO_ENTRANTS_LEFT') {
        throw new AppError('CONFLICT', `No eligible entrant is left to take place ${place}.`);
      }
      throw err;
    }
  }

  private async write(
    tx: db.Queryable,
    principal: DrawPrincipal,
    giveawayId: string,
    plan: RerollPlan,
    body: RerollBody,
  ): Promise<RerollResult> {
    const { reroll } = plan;
    const byUserId = Number(reroll.by_user_id);
    const prizes = await writeReroll(tx, {
      giveawayId,
      place: reroll.place,
      byUserId,
      bundle: plan.bundle,
      log: {
        seq: plan.bundle.rerolls.length,
        replacedUserId: Number(reroll.replaced_user_id),
        reason: body.reason,
        note: body.note ?? null,
        source: plan.from,
        actorId: principal.userId,
      },
    });
    await this.deps.jobs.enqueue(
      tx,
      'notify-winner',
      { giveaway_id: giveawayId, user_id: byUserId, place: reroll.place, prizes, reroll: true },
      { singletonKey: `${giveawayId}:winner:${byUserId}` },
    );
    await recordPlaceChange(tx, this.deps.webhooks, {
      giveawayId,
      place: reroll.place,
      previousUserId: Number(reroll.replaced_user_id),
      userId: byUserId,
      reason: body.reason,
    });
    const used = plan.bundle.rerolls.filter((r) =>
      plan.bundle.reserves.some((id) => sameUserId(id, r.by_user_id)),
    );
    return {
      giveaway_id: giveawayId,
      place: reroll.place,
      replaced_user_id: Number(reroll.replaced_user_id),
      by_user_id: byUserId,
      reason: body.reason,
      from: plan.from,
      winners: currentWinners(plan.bundle).map((w) => ({ place: w.place, user_id: Number(w.user_id) })),
      reserves_left: plan.bundle.reserves.length - used.length,
      excluded: plan.excluded.map((e) => ({ user_id: Number(e.user_id), reason: e.reason })),
    };
  }
}

function isRandom(bundle: ProofBundle): bundle is RandomProofBundle {
  const mode = (bundle as { mode?: string }).mode;
  return mode === undefined || mode === 'random';
}
