// Phase 2 of a draw, outside any row lock: rebuild the frozen entrants, derive the seed, walk the picks in
// order checking requirements, and build the proof bundle from the exclusions found. Deterministic from
// the database: the same frozen entrants, seed and recorded decisions always give the same bundle.
import type pg from 'pg';
import type { RequirementsEvaluator } from './collaborators.ts';
import { selectDrawInputs, selectDrawRequirements, selectPickDecisions } from './draws.queries.ts';
import { decideEligibility } from './eligibility.ts';
import { selectFrozenEntrants } from './entrants.queries.ts';
import { PickOrder } from './pick-order.ts';
import { walkPicks } from './pick-walk.ts';
import {
  buildProofBundle,
  deriveSeed,
  freezeEntrants,
  type FrozenEntrants,
  type RandomProofBundle,
} from './protocol/index.ts';

export interface DrawPlan {
  giveawayId: string;
  entrants: FrozenEntrants;
  bundle: RandomProofBundle;
}

export interface PlanDeps {
  pool: pg.Pool;
  evaluator: RequirementsEvaluator;
  checkConcurrency: number;
  checkRetryDelaysMs: readonly number[];
}

export async function planDraw(deps: PlanDeps, giveawayId: string, signal: AbortSignal): Promise<DrawPlan> {
  const inputs = await selectDrawInputs(deps.pool, giveawayId);
  if (!inputs) throw new Error(`giveaway ${giveawayId} vanished before its draw`);
  if (!inputs.serverSeed) throw new Error(`giveaway ${giveawayId} has no draw commitment`);
  // Beacon draws need the drand round's signature, which nothing fetches yet; refuse rather than ignore it.
  if (inputs.beacon !== null)
    throw new Error(`giveaway ${giveawayId} commits to a beacon; not supported yet`);

  const entrants = freezeEntrants(await selectFrozenEntrants(deps.pool, giveawayId));
  const requirements = await selectDrawRequirements(deps.pool, giveawayId);
  const needed = inputs.winnersCount + inputs.reservesCount;

  let exclusions: Array<{ user_id: number; reason: string }> = [];
  let expected: number[] | null = null;
  // Walked even without requirements: a pick whose account was deleted since it entered cannot win.
  if (entrants.count > 0) {
    const seed = deriveSeed({
      serverSeed: inputs.serverSeed,
      giveawayId,
      entrantsRoot: entrants.root,
      beaconRandomness: null,
    });
    const order = new PickOrder(entrants, seed);
    const eligibility = {
      pool: deps.pool,
      evaluator: deps.evaluator,
      giveawayId,
      requirements,
      recorded: await selectPickDecisions(deps.pool, giveawayId),
      retryDelaysMs: deps.checkRetryDelaysMs,
      signal,
    };
    const walk = await walkPicks<number>({
      next: () => {
        const id = order.next();
        return id === null ? null : Number(id);
      },
      needed,
      concurrency: deps.checkConcurrency,
      decide: (userId) => decideEligibility(eligibility, userId),
    });
    exclusions = walk.exclusions;
    expected = walk.eligible;
  }

  const bundle = buildProofBundle({
    giveawayId,
    serverSeed: inputs.serverSeed,
    beacon: null,
    entrants,
    winnersCount: inputs.winnersCount,
    reservesCount: inputs.reservesCount,
    exclusions,
  });
  if (expected) {
    // The walk and the protocol's own selection must agree pick for pick; anything else is a bug here.
    const drawn = [...bundle.winners.map((w) => Number(w.user_id)), ...bundle.reserves.map(Number)];
    if (drawn.join(',') !== expected.join(',')) {
      throw new Error(`draw ${giveawayId}: pick walk disagrees with the protocol selection`);
    }
  }
  return { giveawayId, entrants, bundle };
}
