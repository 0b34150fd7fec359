// Every change of a place after the draw is told three ways from one transaction: a winner_events row (the
// change relay turns it into a socket event), and a webhook event for the creator's endpoints. Rerolls of any
// reason and the deadline scan both come through here, so watchers and webhooks see all of them.
import type * as db from 'zapatos/db';
import type { WebhookPublisher } from '../ports/index.ts';
import { appendWinnerEvent } from './claims.queries.ts';

export interface PlaceChange {
  giveawayId: string;
  place: number;
  previousUserId: number;
  /** null: nobody took the place (no reserve left). */
  userId: number | null;
  reason: string;
}

export async function recordPlaceChange(
  tx: db.Queryable,
  publish: WebhookPublisher,
  c: PlaceChange,
): Promise<void> {
  await appendWinnerEvent(tx, c.giveawayId, {
    kind: 'changed',
    place: c.place,
    previousUserId: c.previousUserId,
    userId: c.userId,
    reason: c.reason,
  });
  await publish(tx, 'giveaway.winner_changed', {
    giveaway_id: c.giveawayId,
    place: c.place,
    previous_user_id: c.previousUserId,
    user_id: c.userId,
    reason: c.reason,
  });
}

export async function recordClaim(
  tx: db.Queryable,
  publish: WebhookPublisher,
  c: { giveawayId: string; place: number; userId: number },
): Promise<void> {
  await appendWinnerEvent(tx, c.giveawayId, {
    kind: 'claimed',
    place: c.place,
    previousUserId: null,
    userId: c.userId,
    reason: null,
  });
  await publish(tx, 'giveaway.claimed', { giveaway_id: c.giveawayId, place: c.place, user_id: c.userId });
}

/** For callers built without webhooks (tests of one capability). */
export const noWebhooks: WebhookPublisher = () => Promise.resolve();
