// SQL of claim windows: the locked reads a claim, an extension and the deadline scan decide on, and their
// writes. Every decision runs with the giveaway row locked first and the winner row second (the order rerolls
// use too), and compares deadlines with clock_timestamp() after the locks, so the transaction that locks first
// decides and the other one sees its result.
import * as db from 'zapatos/db';
import type { ProofBundle } from '../protocol/index.ts';

export interface ClaimGiveaway {
  status: string;
  creatorId: number;
  claimWindow: number | null;
  bundle: ProofBundle | null;
}

export async function lockGiveaway(tx: db.Queryable, giveawayId: string): Promise<ClaimGiveaway | undefined> {
  const rows = await db.sql<
    db.SQL,
    Array<{ status: string; creator_id: string; claim_window: number | null; bundle: ProofBundle | null }>
  >`
    SELECT g.status, g.creator_id, g.claim_window,
      (SELECT p.bundle FROM draw_proofs p WHERE p.giveaway_id = g.id) AS bundle
    FROM giveaways g WHERE g.id = ${db.param(giveawayId)}
    FOR UPDATE OF g`.run(tx);
  const r = rows[0];
  return (
    r && {
      status: r.status,
      creatorId: Number(r.creator_id),
      claimWindow: r.claim_window,
      bundle: r.bundle,
    }
  );
}

export interface HeldPlace {
  place: number;
  userId: number;
  deadline: Date | null;
  claimedAt: Date | null;
  extendedAt: Date | null;
  /** The deadline has passed, read after the locks. */
  expired: boolean;
}

interface PlaceRow {
  place: number;
  user_id: string;
  claim_deadline: Date | null;
  claimed_at: Date | null;
  claim_extended_at: Date | null;
  expired: boolean | null;
}

const toPlace = (r: PlaceRow): HeldPlace => ({
  place: r.place,
  userId: Number(r.user_id),
  deadline: r.claim_deadline,
  claimedAt: r.claimed_at,
  extendedAt: r.claim_extended_at,
  expired: r.expired === true,
});

/** The place held by `by.userId`, or the holder of `by.place`; the winner row locked. */
export async function lockPlace(
  tx: db.Queryable,
  giveawayId: string,
  by: { userId: number } | { place: number },
): Promise<HeldPlace | undefined> {
  const match =
    'userId' in by ? db.sql`user_id = ${db.param(by.userId)}` : db.sql`place = ${db.param(by.place)}`;
  const rows = await db.sql<db.SQL, PlaceRow[]>`
    SELECT place, user_id, claim_deadline, claimed_at, claim_extended_at,
      claim_deadline <= clock_timestamp() AS expired
    FROM winners WHERE giveaway_id = ${db.param(giveawayId)} AND ${match}
    FOR UPDATE`.run(tx);
  const r = rows[0];
  return r && toPlace(r);
}

/** The place a user lost by not claiming it in time, if any (the newest such change). */
export async function selectLostPlace(
  client: db.Queryable,
  giveawayId: string,
  userId: number,
): Promise<number | undefined> {
  const rows = await db.sql<db.SQL, Array<{ place: number }>>`
    SELECT place FROM winner_events
    WHERE giveaway_id = ${db.param(giveawayId)} AND kind = 'changed' AND reason = 'unclaimed'
      AND previous_user_id = ${db.param(userId)}
    ORDER BY seq DESC LIMIT 1`.run(client);
  return rows[0]?.place;
}

export async function markClaimed(tx: db.Queryable, giveawayId: string, place: number): Promise<Date> {
  const rows = await db.sql<db.SQL, Array<{ claimed_at: Date }>>`
    UPDATE winners SET claimed_at = clock_timestamp()
    WHERE giveaway_id = ${db.param(giveawayId)} AND place = ${db.param(place)}
    RETURNING claimed_at`.run(tx);
  return (rows[0] as { claimed_at: Date }).claimed_at;
}

export async function extendDeadline(
  tx: db.Queryable,
  giveawayId: string,
  place: number,
  seconds: number,
): Promise<{ deadline: Date; extendedAt: Date }> {
  const rows = await db.sql<db.SQL, Array<{ claim_deadline: Date; claim_extended_at: Date }>>`
    UPDATE winners SET claim_deadline = claim_deadline + make_interval(secs => ${db.param(seconds)}),
      claim_extended_at = clock_timestamp()
    WHERE giveaway_id = ${db.param(giveawayId)} AND place = ${db.param(place)}
    RETURNING claim_deadline, claim_extended_at`.run(tx);
  const r = rows[0] as { claim_deadline: Date; claim_extended_at: Date };
  return { deadline: r.claim_deadline, extendedAt: r.claim_extended_at };
}

/** Watchers refetch (giveaway:updated) to see a moved deadline. */
export async function bumpContentVersion(tx: db.Queryable, giveawayId: string): Promise<void> {
  await db.sql`UPDATE giveaways SET content_version = content_version + 1
    WHERE id = ${db.param(giveawayId)}`.run(tx);
}

/** Places whose holder let the deadline pass, oldest first. A hint: each is re-checked under its locks. */
export async function selectDueClaims(
  client: db.Queryable,
  limit: number,
): Promise<Array<{ giveawayId: string; place: number }>> {
  const rows = await db.sql<db.SQL, Array<{ giveaway_id: string; place: number }>>`
    SELECT giveaway_id, place FROM winners
    WHERE claim_deadline IS NOT NULL AND claimed_at IS NULL AND claim_deadline <= now()
    ORDER BY claim_deadline LIMIT ${db.param(limit)}`.run(client);
  return rows.map((r) => ({ giveawayId: r.giveaway_id, place: r.place }));
}

/** No reserve left: the place is emptied (its prizes with it, by the win_records cascade). */
export async function vacatePlace(tx: db.Queryable, giveawayId: string, place: number): Promise<void> {
  await db.sql`DELETE FROM winners WHERE giveaway_id = ${db.param(giveawayId)}
    AND place = ${db.param(place)}`.run(tx);
}

export interface WinnerEventRow {
  kind: 'claimed' | 'changed';
  place: number;
  previousUserId: number | null;
  userId: number | null;
  reason: string | null;
}

/** Appends one event and bumps the giveaway's counter (and so its version) in the caller's transaction. */
export async function appendWinnerEvent(
  tx: db.Queryable,
  giveawayId: string,
  e: WinnerEventRow,
): Promise<void> {
  const id = db.param(giveawayId);
  await db.sql`
    WITH g AS (
      UPDATE giveaways SET winner_events_count = winner_events_count + 1 WHERE id = ${id}
      RETURNING winner_events_count AS seq)
    INSERT INTO winner_events (giveaway_id, seq, kind, place, previous_user_id, user_id, reason)
    SELECT ${id}, g.seq, ${db.param(e.kind)}, ${db.param(e.place)}, ${db.param(e.previousUserId)},
      ${db.param(e.userId)}, ${db.param(e.reason)}
    FROM g`.run(tx);
}

/** Every place after the draw: held ones from winners, empty ones from their last change. */
export async function selectPlaces(client: db.Queryable, giveawayId: string) {
  return db.sql<
    db.SQL,
    Array<{
      place: number;
      user_id: string | null;
      claim_deadline: Date | null;
      claimed_at: Date | null;
    }>
  >`
    SELECT place, user_id, claim_deadline, claimed_at FROM winners
    WHERE giveaway_id = ${db.param(giveawayId)}
    UNION ALL
    SELECT DISTINCT e.place, NULL::bigint, NULL::timestamptz, NULL::timestamptz FROM winner_events e
    WHERE e.giveaway_id = ${db.param(giveawayId)} AND e.kind = 'changed' AND e.user_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM winners w WHERE w.giveaway_id = e.giveaway_id AND w.place = e.place)
    ORDER BY place`.run(client);
}

export async function selectClaimWindow(
  client: db.Queryable,
  giveawayId: string,
): Promise<{ status: string; claimWindow: number | null } | undefined> {
  const rows = await db.sql<db.SQL, Array<{ status: string; claim_window: number | null }>>`
    SELECT status, claim_window FROM giveaways WHERE id = ${db.param(giveawayId)}`.run(client);
  const r = rows[0];
  return r && { status: r.status, claimWindow: r.claim_window };
}
