// SQL for what a legacy draw left: winners, their win records, the imported proof, plus the draw commitments
// and pre-winner lists of giveaways still to be drawn. Compared first, replaced only when different.
import * as db from 'zapatos/db';
import type { GiveawayPlan } from './giveaway-mapping.ts';
import { iso } from './legacy-values.ts';

/** Canonical text of stored winners and win records per giveaway (prize rows by position, not id). */
export async function selectResults(
  client: db.Queryable,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const rows = await db.sql<db.SQL, Array<{ id: string; winners: unknown; records: unknown }>>`
    SELECT g.id,
      (SELECT COALESCE(json_agg(json_build_array(w.place, w.user_id::text) ORDER BY w.place), '[]')
         FROM winners w WHERE w.giveaway_id = g.id) AS winners,
      (SELECT COALESCE(json_agg(json_build_array(r.id, r.user_id::text, r.place, gp.position, r.prize_id,
         r.prize_title, r.prize_description, r.quantity, r.status,
         (extract(epoch FROM r.received_at) * 1000)::bigint::text) ORDER BY r.id), '[]')
         FROM win_records r LEFT JOIN giveaway_prizes gp ON gp.id = r.giveaway_prize_id
         WHERE r.giveaway_id = g.id) AS records
    FROM giveaways g WHERE g.id = ANY(${db.param(ids)}::uuid[])`.run(client);
  return new Map(rows.map((r) => [r.id, JSON.stringify([r.winners, r.records])]));
}

export function planResults(plan: GiveawayPlan): string {
  const winners = plan.winners.map((w) => [w.place, String(w.userId)]);
  const records = [...plan.winRecords]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => [
      r.id,
      String(r.userId),
      r.place,
      r.prizePosition,
      r.prizeId,
      r.title,
      r.description,
      r.quantity,
      r.status,
      r.receivedAt === null ? null : String(r.receivedAt.getTime()),
    ]);
  return JSON.stringify([winners, records]);
}

/** Deleting winners cascades to their win records; both are then written afresh. */
export async function replaceResults(
  client: db.Queryable,
  plans: readonly GiveawayPlan[],
): Promise<{ winners: number; winRecords: number }> {
  if (plans.length === 0) return { winners: 0, winRecords: 0 };
  await db.sql`DELETE FROM winners WHERE giveaway_id = ANY(${db.param(plans.map((p) => p.row.id))}::uuid[])`.run(
    client,
  );
  const winners = plans.flatMap((p) => p.winners.map((w) => ({ ...w, g: p.row })));
  if (winners.length > 0) {
    await db.sql`
      INSERT INTO winners (giveaway_id, place, user_id, source, created_at)
      SELECT t.g, t.place, t.u, 'import', t.at FROM unnest(
        ${db.param(winners.map((w) => w.g.id))}::uuid[], ${db.param(winners.map((w) => w.place))}::int[],
        ${db.param(winners.map((w) => w.userId))}::bigint[],
        ${db.param(winners.map((w) => iso(w.g.finished_at ?? w.g.updated_at)))}::timestamptz[]
      ) AS t(g, place, u, at)`.run(client);
  }
  const records = plans.flatMap((p) => p.winRecords.map((r) => ({ ...r, g: p.row.id })));
  if (records.length > 0) {
    await db.sql`
      INSERT INTO win_records (id, giveaway_id, user_id, place, giveaway_prize_id, prize_id, prize_title,
        prize_description, quantity, status, received_at, created_at, updated_at)
      SELECT t.id, t.g, t.u, t.place, gp.id, t.prize_id, t.title, t.description, t.quantity, t.status,
        t.received_at, t.created_at, t.created_at
      FROM unnest(
        ${db.param(records.map((r) => r.id))}::uuid[], ${db.param(records.map((r) => r.g))}::uuid[],
        ${db.param(records.map((r) => r.userId))}::bigint[], ${db.param(records.map((r) => r.place))}::int[],
        ${db.param(records.map((r) => r.prizePosition))}::int[], ${db.param(records.map((r) => r.prizeId))}::uuid[],
        ${db.param(records.map((r) => r.title))}::text[], ${db.param(records.map((r) => r.description))}::text[],
        ${db.param(records.map((r) => r.quantity))}::int[], ${db.param(records.map((r) => r.status))}::win_status[],
        ${db.param(records.map((r) => iso(r.receivedAt)))}::timestamptz[],
        ${db.param(records.map((r) => r.createdAt.toISOString()))}::timestamptz[]
      ) AS t(id, g, u, place, position, prize_id, title, description, quantity, status, received_at, created_at)
      LEFT JOIN giveaway_prizes gp ON gp.giveaway_id = t.g AND gp.position = t.position`.run(client);
  }
  return { winners: winners.length, winRecords: records.length };
}

export interface ImportedProof {
  giveawayId: string;
  entrantsCount: number;
  bundle: Record<string, unknown>;
  drawnAt: Date;
}

/** Only ever overwrites an imported proof; one this server published is never touched. */
export async function upsertProofs(
  client: db.Queryable,
  proofs: readonly ImportedProof[],
): Promise<{ inserted: number; updated: number }> {
  if (proofs.length === 0) return { inserted: 0, updated: 0 };
  const rows = await db.sql<db.SQL, Array<{ inserted: boolean }>>`
    INSERT INTO draw_proofs (giveaway_id, mode, entrants_root, entrants_count, bundle, drawn_at, updated_at)
    SELECT t.g, 'imported', NULL, t.n, t.b, t.d, t.d FROM unnest(
      ${db.param(proofs.map((p) => p.giveawayId))}::uuid[], ${db.param(proofs.map((p) => p.entrantsCount))}::int[],
      ${db.param(proofs.map((p) => JSON.stringify(p.bundle)))}::jsonb[],
      ${db.param(proofs.map((p) => p.drawnAt.toISOString()))}::timestamptz[]
    ) AS t(g, n, b, d)
    ON CONFLICT (giveaway_id) DO UPDATE SET entrants_count = EXCLUDED.entrants_count,
      bundle = EXCLUDED.bundle, drawn_at = EXCLUDED.drawn_at
    WHERE draw_proofs.mode = 'imported' AND (draw_proofs.entrants_count, draw_proofs.bundle, draw_proofs.drawn_at)
      IS DISTINCT FROM (EXCLUDED.entrants_count, EXCLUDED.bundle, EXCLUDED.drawn_at)
    RETURNING (xmax = 0) AS inserted`.run(client);
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

/** An imported proof whose giveaway no longer has legacy winners (the source changed) goes. */
export async function deleteImportedProofs(client: db.Queryable, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.sql<db.SQL, Array<{ giveaway_id: string }>>`
    DELETE FROM draw_proofs WHERE giveaway_id = ANY(${db.param(ids)}::uuid[]) AND mode = 'imported'
    RETURNING giveaway_id`.run(client);
  return rows.length;
}

export async function selectCommitted(client: db.Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.sql<db.SQL, Array<{ giveaway_id: string }>>`
    SELECT giveaway_id FROM draw_commitments WHERE giveaway_id = ANY(${db.param(ids)}::uuid[])`.run(client);
  return new Set(rows.map((r) => r.giveaway_id));
}

export async function upsertPreWinnerList(
  client: db.Queryable,
  giveawayId: string,
  list: NonNullable<GiveawayPlan['preWinnerList']>,
): Promise<'inserted' | 'updated' | null> {
  const sources = JSON.stringify(list.userIds.map(() => 'id'));
  const rows = await db.sql<db.SQL, Array<{ inserted: boolean }>>`
    INSERT INTO pre_winner_lists (giveaway_id, user_ids, sources, created_at, expires_at)
    VALUES (${db.param(giveawayId)}, ${db.param(list.userIds)}::bigint[], ${db.param(sources)}::jsonb,
      ${db.param(list.createdAt.toISOString())}, ${db.param(list.expiresAt.toISOString())})
    ON CONFLICT (giveaway_id) DO UPDATE SET user_ids = EXCLUDED.user_ids, sources = EXCLUDED.sources,
      created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
    WHERE (pre_winner_lists.user_ids, pre_winner_lists.sources, pre_winner_lists.created_at, pre_winner_lists.expires_at)
      IS DISTINCT FROM (EXCLUDED.user_ids, EXCLUDED.sources, EXCLUDED.created_at, EXCLUDED.expires_at)
    RETURNING (xmax = 0) AS inserted`.run(client);
  const row = rows[0];
  return row === undefined ? null : row.inserted ? 'inserted' : 'updated';
}
