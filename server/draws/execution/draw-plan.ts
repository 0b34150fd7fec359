// Phase 2 of a draw, outside any row lock: rebuild the frozen entrants and publish their root, wait for the
// committed drand round (verified), derive the seed, walk the picks in order checking requirements, and build
// the proof bundle from the exclusions found. Deterministic from the database and the beacon: the same frozen
// entrants, seed, round and recorded decisions always give the same bundle.
import type pg from 'pg';
import { verifyQuicknetSignature } from '../beacon/index.ts';
import type { RequirementsEvaluator } from '../ports/index.ts';
import { commitEntrants } from '../commitment/index.ts';
import { BeaconUnavailableError, type BeaconSource, type VerifiedBeacon } from '../beacon/index.ts';
import { selectDrawInputs, selectDrawRequirements, selectPickDecisions } from './execution.queries.ts';
import { decideEligibility } from './eligibility.ts';
import type { FrozenEntrantsStore } from '../entrants/index.ts';
import { PickOrder } from './pick-order.ts';
import { SubjectBatch } from './subject-batch.ts';
import { walkPicks } from './pick-walk.ts';
import {
  buildProofBundle,
  deriveSeed,
  type FrozenEntrants,
  type RandomProofBundle,
} from '../protocol/index.ts';

export interface DrawPlan {
  giveawayId: string;
  entrants: FrozenEntrants;
  bundle: RandomProofBundle;
}

export interface PlanDeps {
  pool: pg.Pool;
  frozen: FrozenEntrantsStore;
  /** null: no drand relays configured; a giveaway committed to a round then waits (never drawn without it). */
  beacon: BeaconSource | null;
  evaluator: RequirementsEvaluator;
  checkConcurrency: number;
  checkRetryDelaysMs: readonly number[];
}

export async function planDraw(deps: PlanDeps, giveawayId: string, signal: AbortSignal): Promise<DrawPlan> {
  const inputs = await selectDrawInputs(deps.pool, giveawayId);
  if (!inputs) throw new Error(`giveaway ${giveawayId} vanished before its draw`);
  if (!inputs.serverSeed) throw new Error(`giveaway ${giveawayId} has no draw commitment`);

  const entrants = await deps.frozen.get(giveawayId);
  // The root is public before the beacon is asked for (and checked against what close published).
  await commitEntrants(deps.pool, giveawayId, entrants.root.toString('hex'), entrants.count);
  const beacon = inputs.beaconRound === null ? null : await fetchBeacon(deps, inputs.beaconRound, signal);
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
      beaconRandomness: beacon ? Buffer.from(beacon.randomness, 'hex') : null,
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
      subjects: new SubjectBatch(deps.pool),
    };
    const walk = await walkPicks<number>({
      next: () => {
        const id = order.next();
        return id === null ? null : Number(id);
      },
      needed,
      // Without requirements a check is one row lookup, batched: every pick still needed can be in flight.
      // With them each pick asks Telegram, whose rate the configured concurrency respects.
      concurrency:
        requirements.length === 0 ? Math.max(deps.checkConcurrency, needed) : deps.checkConcurrency,
      decide: (userId) => decideEligibility(eligibility, userId),
    });
    exclusions = walk.exclusions;
    expected = walk.eligible;
  }

  const bundle = buildProofBundle({
    giveawayId,
    serverSeed: inputs.serverSeed,
    beacon,
    verifyBeaconSignature: verifyQuicknetSignature,
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

async function fetchBeacon(deps: PlanDeps, round: number, signal: AbortSignal): Promise<VerifiedBeacon> {
  if (!deps.beacon) {
    throw new BeaconUnavailableError(
      `drand round ${round} is committed but no relay is configured (DRAND_URLS)`,
    );
  }
  return deps.beacon.fetchRound(round, signal);
}
