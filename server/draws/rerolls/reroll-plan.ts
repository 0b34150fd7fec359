// Computing one reroll (draw protocol §4) from a published bundle: the first unused reserve takes the place,
// else the same stream continues. A stream pick is checked like a draw-time pick; an ineligible one is appended
// to the public exclusions (checked in pick order, as at the draw) and the stream moves on. Never a re-draw.
import {
  DrawProtocolError,
  DrawSelector,
  deriveSeed,
  parseUserId,
  restoreSelector,
  sameUserId,
  toJsonUserId,
  verifyProofBundle,
  type ExclusionEntry,
  type FrozenEntrants,
  type RandomProofBundle,
  type RerollEntry,
} from '../protocol/index.ts';

export interface RerollPlan {
  bundle: RandomProofBundle;
  reroll: RerollEntry;
  from: 'reserve' | 'stream';
  /** Stream picks found ineligible on the way, now in the bundle's exclusions. */
  excluded: ExclusionEntry[];
}

export interface RerollInput {
  bundle: RandomProofBundle;
  entrants: FrozenEntrants;
  place: number;
  reason: string;
  /** Eligibility of a stream pick (reserves were checked at the draw). */
  decide: (userId: number) => Promise<{ eligible: boolean; reason: string | null }>;
  /** Gives up after this many ineligible stream picks in one reroll (default 1000). */
  maxExclusions?: number;
}

export async function planReroll(input: RerollInput): Promise<RerollPlan> {
  const { bundle, entrants, place } = input;
  // Refuses a bundle that does not replay exactly, so a corrupt proof is never extended.
  restoreSelector(bundle, entrants);
  const exclusions = [...bundle.exclusions];
  const excluded: ExclusionEntry[] = [];
  for (;;) {
    const outcome = replay(bundle, entrants, exclusions).reroll(place);
    const from = bundle.reserves.some((r) => sameUserId(r, outcome.byUserId)) ? 'reserve' : 'stream';
    const byUserId = toJsonUserId(outcome.byUserId);
    if (from === 'stream') {
      const decision = await input.decide(Number(outcome.byUserId));
      if (!decision.eligible) {
        if (excluded.length >= (input.maxExclusions ?? 1_000)) {
          throw new DrawProtocolError('NO_ENTRANTS_LEFT', 'too many ineligible entrants in a row');
        }
        const entry = { user_id: byUserId, reason: decision.reason ?? 'not_eligible' };
        exclusions.push(entry);
        excluded.push(entry);
        continue;
      }
    }
    const reroll: RerollEntry = {
      place,
      replaced_user_id: toJsonUserId(outcome.replacedUserId),
      by_user_id: byUserId,
      reason: input.reason,
    };
    const next: RandomProofBundle = { ...bundle, exclusions, rerolls: [...bundle.rerolls, reroll] };
    // The new bundle must verify as anyone will check it (the beacon signature was checked at the draw).
    const check = verifyProofBundle(next, entrants);
    if (check.problems.length > 0) {
      const first = check.problems[0];
      throw new DrawProtocolError(
        'INVALID_PROOF',
        `reroll does not verify: ${first?.code} ${first?.message}`,
      );
    }
    return { bundle: next, reroll, from, excluded };
  }
}

/** The bundle's selector state (initial draw and its rerolls) with extra exclusions the stream has not reached. */
function replay(
  bundle: RandomProofBundle,
  entrants: FrozenEntrants,
  exclusions: readonly ExclusionEntry[],
): DrawSelector {
  const seed = deriveSeed({
    serverSeed: Buffer.from(bundle.server_seed, 'hex'),
    giveawayId: bundle.giveaway_id,
    entrantsRoot: entrants.root,
    beaconRandomness: bundle.beacon ? Buffer.from(bundle.beacon.randomness, 'hex') : null,
  });
  const selector = new DrawSelector({
    entrants,
    seed,
    exclusions: exclusions.map((e) => parseUserId(e.user_id)),
  });
  selector.draw(bundle.winners_count, bundle.reserves_count);
  for (const r of bundle.rerolls) selector.reroll(r.place);
  return selector;
}
