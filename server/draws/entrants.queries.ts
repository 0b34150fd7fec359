// SQL of frozen entrants and published proofs: the whole canonical list (for drawing and verifying), keyset
// pages of it (served beside the proof), and the stored bundle.
import * as db from 'zapatos/db';
import type { ProofBundle } from './protocol/index.ts';

/** Every frozen entrant in canonical order, as the protocol's freezeEntrants takes them. */
export async function selectFrozenEntrants(
  client: db.Queryable,
  giveawayId: string,
): Promise<Array<{ user_id: number; weight: number }>> {
  // Array rows and no per-row objects from pg: this runs over 100k+ rows at close.
  const query = db.sql`
    SELECT user_id::text, weight FROM draw_entrants WHERE giveaway_id = ${db.param(giveawayId)}
    ORDER BY user_id`.compile();
  const result = await client.query<[string, number]>({ ...query, rowMode: 'array' });
  const out = new Array<{ user_id: number; weight: number }>(result.rows.length);
  for (let i = 0; i < result.rows.length; i++) {
    const row = result.rows[i] as [string, number];
    out[i] = { user_id: Number(row[0]), weight: row[1] };
  }
  return out;
}

export async function selectEntrantsPage(
  client: db.Queryable,
  giveawayId: string,
  afterUserId: number,
  limit: number,
): Promise<Array<{ user_id: number; weight: number }>> {
  const rows = await db.sql<db.SQL, Array<{ user_id: string; weight: number }>>`
    SELECT user_id, weight FROM draw_entrants
    WHERE giveaway_id = ${db.param(giveawayId)} AND user_id > ${db.param(afterUserId)}
    ORDER BY user_id LIMIT ${db.param(limit)}`.run(client);
  return rows.map((r) => ({ user_id: Number(r.user_id), weight: r.weight }));
}

export async function selectProofBundle(
  client: db.Queryable,
  giveawayId: string,
): Promise<ProofBundle | undefined> {
  const row = await db
    .selectOne('draw_proofs', { giveaway_id: giveawayId }, { columns: ['bundle'] })
    .run(client);
  return row?.bundle as ProofBundle | undefined;
}

export async function proofExists(client: db.Queryable, giveawayId: string): Promise<boolean> {
  const row = await db
    .selectOne('draw_proofs', { giveaway_id: giveawayId }, { columns: ['giveaway_id'] })
    .run(client);
  return row !== undefined;
}
