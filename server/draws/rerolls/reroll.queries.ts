// SQL of rerolls: the state a reroll is computed from, and its writes (one transaction): the new bundle, the
// place's new holder with the place's prizes, the reroll counter the change relay watches, and the operator log.
import * as db from 'zapatos/db';
import type { ProofBundle } from '../protocol/index.ts';

export interface RerollState {
  status: string;
  creatorId: number;
  rerollsCount: number;
  bundle: ProofBundle | null;
}

/** `lock`: FOR UPDATE on the giveaway row (the write phase); without it, a plain read (the compute phase). */
export async function selectRerollState(
  client: db.Queryable,
  giveawayId: string,
  lock: boolean,
): Promise<RerollState | undefined> {
  const rows = await db.sql<
    db.SQL,
    Array<{ status: string; creator_id: string; rerolls_count: number; bundle: ProofBundle | null }>
  >`
    SELECT g.status, g.creator_id, g.rerolls_count,
      (SELECT p.bundle FROM draw_proofs p WHERE p.giveaway_id = g.id) AS bundle
    FROM giveaways g WHERE g.id = ${db.param(giveawayId)}
    ${lock ? db.sql`FOR UPDATE OF g` : db.sql``}`.run(client);
  const r = rows[0];
  return (
    r && {
      status: r.status,
      creatorId: Number(r.creator_id),
      rerollsCount: r.rerolls_count,
      bundle: r.bundle,
    }
  );
}

export async function selectPlaceStatus(
  client: db.Queryable,
  giveawayId: string,
  place: number,
): Promise<{ userId: number | null; distributed: boolean }> {
  const rows = await db.sql<db.SQL, Array<{ user_id: string | null; distributed: boolean }>>`
    SELECT (SELECT w.user_id FROM winners w WHERE w.giveaway_id = ${db.param(giveawayId)}
              AND w.place = ${db.param(place)}) AS user_id,
      EXISTS (SELECT 1 FROM win_records r WHERE r.giveaway_id = ${db.param(giveawayId)}
              AND r.place = ${db.param(place)} AND r.status = 'distributed') AS distributed`.run(client);
  const r = rows[0];
  return { userId: r?.user_id == null ? null : Number(r.user_id), distributed: r?.distributed ?? false };
}

export interface RerollWrite {
  giveawayId: string;
  place: number;
  byUserId: number;
  bundle: ProofBundle;
  log: {
    seq: number;
    replacedUserId: number;
    reason: string;
    note: string | null;
    source: 'reserve' | 'stream';
    /** null: the server (the claim deadline), not a person. */
    actorId: number | null;
  };
}

/**
 * The prizes of the place move with it: its win records are handed to the new holder, who gets a claim window
 * of their own when the giveaway has one.
 */
export async function writeReroll(
  tx: db.Queryable,
  w: RerollWrite,
): Promise<Array<{ title: string; description: string; quantity: number }>> {
  const id = db.param(w.giveawayId);
  await db.sql`UPDATE draw_proofs SET bundle = ${db.param(JSON.stringify(w.bundle))}::jsonb
    WHERE giveaway_id = ${id}`.run(tx);
  await db.sql`UPDATE winners SET user_id = ${db.param(w.byUserId)}, source = 'reroll', created_at = now(),
      claim_deadline = now() + make_interval(secs => (SELECT claim_window FROM giveaways WHERE id = ${id})),
      claimed_at = NULL, claim_extended_at = NULL
    WHERE giveaway_id = ${id} AND place = ${db.param(w.place)}`.run(tx);
  const prizes = await db.sql<db.SQL, Array<{ title: string; description: string; quantity: number }>>`
    UPDATE win_records SET user_id = ${db.param(w.byUserId)}
    WHERE giveaway_id = ${id} AND place = ${db.param(w.place)}
    RETURNING prize_title AS title, prize_description AS description, quantity`.run(tx);
  await db.sql`UPDATE giveaways SET rerolls_count = rerolls_count + 1 WHERE id = ${id}`.run(tx);
  await db.sql`
    INSERT INTO draw_rerolls (giveaway_id, seq, place, replaced_user_id, by_user_id, reason, note, source, actor_id)
    VALUES (${id}, ${db.param(w.log.seq)}, ${db.param(w.place)}, ${db.param(w.log.replacedUserId)},
      ${db.param(w.byUserId)}, ${db.param(w.log.reason)}, ${db.param(w.log.note)}, ${db.param(w.log.source)},
      ${db.param(w.log.actorId)})`.run(tx);
  return prizes;
}
