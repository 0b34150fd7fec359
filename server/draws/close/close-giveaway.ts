// Phase 1 of closing, in the caller's short transaction with the giveaway row locked: freeze the entrants
// and mark the giveaway closed, then either queue its draw (status `drawing` when it waits for a drand round)
// or, with a custom requirement, hand it to the creator (pending) with a notification job in the same
// transaction.
import type pg from 'pg';
import { MANUAL_WINNERS_WINDOW_MS, assertTransition } from '../../giveaways/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { JobEnqueuer } from '../ports/index.ts';
import type { EntrantRangeReaders } from '../entrants/index.ts';
import { createCommitment, hasCommitment } from '../commitment/index.ts';
import type { EntrantColumns } from '../protocol/index.ts';
import {
  freezeEntrantColumns,
  hasCustomRequirement,
  insertDrawRun,
  markClosed,
  selectBeaconRound,
  type LockedGiveaway,
} from './close.queries.ts';

export type ClosedAs = 'drawing' | 'pending';

/**
 * Without a beacon the status stays `active` while the draw runs (phases 2–3) and `closed_at` is the marker;
 * with one it is `drawing`, which the public view shows while the round is awaited. Joins are refused once
 * ends_at has passed, and the row lock plus closed_at stop a join statement that was already waiting.
 */
export async function closeLockedGiveaway(
  tx: pg.ClientBase,
  deps: {
    jobs: JobEnqueuer;
    logger: Logger;
    /** Reads a large list in id ranges at once, in this transaction's snapshot. */
    readers?: EntrantRangeReaders;
    /** The frozen columns, as soon as they are read (the insert still runs): the tree can start. */
    onFrozen?: (columns: EntrantColumns) => void;
  },
  giveaway: LockedGiveaway,
): Promise<ClosedAs> {
  if (!(await hasCommitment(tx, giveaway.id))) {
    // Created outside the giveaways service (import, direct SQL): commit now rather than never draw.
    deps.logger.warn({ giveawayId: giveaway.id }, 'No draw commitment at close; committing now');
    await createCommitment(tx, giveaway.id);
  }
  const frozen = await freezeEntrantColumns(
    tx,
    giveaway.id,
    (columns) => deps.onFrozen?.(columns),
    deps.readers && { readers: deps.readers, participants: giveaway.participantsCount },
  );
  // Nobody to pick by hand: a custom requirement changes nothing, the draw completes with no winners.
  const manual = frozen > 0 && (await hasCustomRequirement(tx, giveaway.id));
  const beacon = !manual && (await selectBeaconRound(tx, giveaway.id)) !== null;
  assertTransition(giveaway.status, manual ? 'pending' : beacon ? 'drawing' : 'completed', 'system');
  await markClosed(tx, giveaway.id, manual ? 'pending' : beacon ? 'drawing' : 'active');
  if (!manual) {
    await insertDrawRun(tx, giveaway.id, 'close');
    return 'drawing';
  }
  await deps.jobs.enqueue(
    tx,
    'notify-creator',
    {
      giveaway_id: giveaway.id,
      creator_id: giveaway.creatorId,
      kind: 'pending',
      entrants: frozen,
      deadline: new Date(Date.now() + MANUAL_WINNERS_WINDOW_MS).toISOString(),
    },
    { singletonKey: `${giveaway.id}:creator:pending` },
  );
  return 'pending';
}
