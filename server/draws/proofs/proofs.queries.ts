// SQL of proof serving: keyset pages of the frozen entrants (served beside the proof; read from the stored chunks by
// the entrants capability), the stored bundle, and what was published before the draw.
import * as db from 'zapatos/db';
import type { DrawCommitmentResponse } from '../../../schema/contract/draws.ts';
import { selectEntrantColumns } from '../entrants/index.ts';
import type { ProofBundle } from '../protocol/index.ts';

export async function selectEntrantsPage(
  client: db.Queryable,
  giveawayId: string,
  afterUserId: number,
  limit: number,
): Promise<Array<{ user_id: number; weight: number }>> {
  const { idHi, idLo, weights } = await selectEntrantColumns(client, giveawayId, {
    after: String(afterUserId),
    limit,
  });
  return Array.from(weights, (weight, i) => ({
    user_id: (idHi[i] as number) * 0x1_0000_0000 + (idLo[i] as number),
    weight,
  }));
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

/** The wire shape is the contract's; the query returns it as is. */
export type CommitmentSummary = DrawCommitmentResponse;

export async function selectCommitmentSummary(
  client: db.Queryable,
  giveawayId: string,
): Promise<CommitmentSummary | undefined> {
  const rows = await db.sql<db.SQL, Array<Omit<CommitmentSummary, 'ends_at'> & { ends_at: Date }>>`
    SELECT g.id AS giveaway_id, g.status, g.ends_at, c.seed_commitment, c.beacon,
      COALESCE(p.entrants_root, c.entrants_root) AS entrants_root,
      CASE WHEN p.giveaway_id IS NULL THEN c.entrants_count ELSE p.entrants_count END AS entrants_count,
      p.giveaway_id IS NOT NULL AS drawn
    FROM giveaways g
    JOIN draw_commitments c ON c.giveaway_id = g.id
    LEFT JOIN draw_proofs p ON p.giveaway_id = g.id
    WHERE g.id = ${db.param(giveawayId)}`.run(client);
  const r = rows[0];
  return r && { ...r, ends_at: new Date(r.ends_at).toISOString() };
}
