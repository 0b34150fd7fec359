// SQL of a draw's result, all run in the one transaction that completes the giveaway: winners, win records,
// the proof, the status change, and removing the draw's working state.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';
import type { ProofBundle } from '../protocol/index.ts';

export interface PrizeRow {
  id: number;
  prizeId: string | null;
  position: number;
  place: number | null;
  title: string;
  description: string;
  quantity: number;
}

export async function selectPrizes(client: db.Queryable, giveawayId: string): Promise<PrizeRow[]> {
  const rows = await db
    .select('giveaway_prizes', { giveaway_id: giveawayId }, { order: { by: 'position', direction: 'ASC' } })
    .run(client);
  return rows.map((r) => ({
    id: Number(r.id),
    prizeId: r.prize_id,
    position: r.position,
    place: r.place,
    title: r.title,
    description: r.description,
    quantity: r.quantity,
  }));
}

/** Places follow the array order (place 1 first); each holder's claim window starts now, if there is one. */
export async function insertWinners(
  tx: db.Queryable,
  giveawayId: string,
  userIds: number[],
  source: s.winner_source,
): Promise<void> {
  if (userIds.length === 0) return;
  await db.sql`
    INSERT INTO winners (giveaway_id, place, user_id, source, claim_deadline)
    SELECT ${db.param(giveawayId)}, t.place, t.user_id, ${db.param(source)},
      now() + make_interval(secs => g.claim_window)
    FROM unnest(${db.param(userIds)}::bigint[]) WITH ORDINALITY AS t(user_id, place)
    JOIN giveaways g ON g.id = ${db.param(giveawayId)}`.run(tx);
}

export interface WinRecordRow {
  userId: number;
  place: number;
  prize: PrizeRow;
  quantity: number;
}

export async function insertWinRecords(
  tx: db.Queryable,
  giveawayId: string,
  rows: WinRecordRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(
      'win_records',
      rows.map((r) => ({
        giveaway_id: giveawayId,
        user_id: r.userId,
        place: r.place,
        giveaway_prize_id: r.prize.id,
        prize_id: r.prize.prizeId,
        prize_title: r.prize.title,
        prize_description: r.prize.description,
        quantity: r.quantity,
      })),
    )
    .run(tx);
}

/** Plain insert: a second proof for one giveaway is a bug, and the primary key turns it into a rollback. */
export async function insertProof(tx: db.Queryable, giveawayId: string, bundle: ProofBundle): Promise<void> {
  await db
    .insert('draw_proofs', {
      giveaway_id: giveawayId,
      mode: bundle.mode === 'manual' ? 'manual' : 'random',
      entrants_root: bundle.entrants_root,
      entrants_count: bundle.entrants_count,
      bundle: bundle as unknown as db.JSONValue,
      drawn_at: bundle.drawn_at as db.TimestampTzString,
    })
    .run(tx);
}

export async function markCompleted(tx: db.Queryable, giveawayId: string): Promise<void> {
  await db.sql`
    UPDATE giveaways SET status = 'completed', finished_at = now(), closed_at = COALESCE(closed_at, now())
    WHERE id = ${db.param(giveawayId)}`.run(tx);
}

/** The draw's working state and any uploaded list end with the result. */
export async function deleteDrawState(tx: db.Queryable, giveawayId: string): Promise<void> {
  await db.sql`
    WITH runs AS (DELETE FROM draw_runs WHERE giveaway_id = ${db.param(giveawayId)}),
         checks AS (DELETE FROM draw_checks WHERE giveaway_id = ${db.param(giveawayId)})
    DELETE FROM pre_winner_lists WHERE giveaway_id = ${db.param(giveawayId)}`.run(tx);
}

export async function deleteDrawRun(client: db.Queryable, giveawayId: string): Promise<void> {
  await db.sql`
    WITH checks AS (DELETE FROM draw_checks WHERE giveaway_id = ${db.param(giveawayId)})
    DELETE FROM draw_runs WHERE giveaway_id = ${db.param(giveawayId)}`.run(client);
}
