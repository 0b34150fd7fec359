// Draw protocol §1 at create: a fresh 32-byte server seed and its public commitment, stored in the giveaway's
// create transaction so the commitment exists before anyone can enter.
import * as db from 'zapatos/db';
import { generateServerSeed, seedCommitment } from './protocol/index.ts';

export interface Commitment {
  seedCommitment: string;
  /** null: commit-reveal only (no drand beacon yet). */
  beacon: null;
}

/** Call inside the create transaction. Idempotent: a second call keeps the first seed. */
export async function createCommitment(tx: db.Queryable, giveawayId: string): Promise<Commitment> {
  const serverSeed = generateServerSeed();
  const commitment = seedCommitment(serverSeed);
  const rows = await db.sql`
    INSERT INTO ${'draw_commitments'} (${'giveaway_id'}, ${'server_seed'}, ${'seed_commitment'}, ${'beacon'})
    VALUES (${db.param(giveawayId)}, ${db.param(serverSeed)}, ${db.param(commitment)}, NULL)
    ON CONFLICT (${'giveaway_id'}) DO UPDATE SET ${'giveaway_id'} = EXCLUDED.${'giveaway_id'}
    RETURNING ${'seed_commitment'}`.run(tx);
  const stored = (rows as Array<{ seed_commitment: string }>)[0];
  return { seedCommitment: stored?.seed_commitment ?? commitment, beacon: null };
}

export async function hasCommitment(client: db.Queryable, giveawayId: string): Promise<boolean> {
  const row = await db
    .selectOne('draw_commitments', { giveaway_id: giveawayId }, { columns: ['giveaway_id'] })
    .run(client);
  return row !== undefined;
}
