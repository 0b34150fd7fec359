// Draw protocol §1 at create: a fresh 32-byte server seed, its public commitment and, for beacon draws, the
// drand quicknet round after ends_at, stored in the giveaway's create transaction so they exist before anyone
// can enter. Also the §2 commitment made at close: the entrant root and count.
import * as db from 'zapatos/db';
import {
  QUICKNET,
  beaconRoundAt,
  generateServerSeed,
  seedCommitment,
  type BeaconCommitment,
} from '../protocol/index.ts';

export type BeaconChoice = 'drand' | 'none';

export interface Commitment {
  seedCommitment: string;
  /** null: commit-reveal only. */
  beacon: BeaconCommitment | null;
}

export interface CommitmentOptions {
  /** Default 'none'; 'drand' commits to the first quicknet round at or after the giveaway's ends_at. */
  beacon?: BeaconChoice;
}

/** Call inside the create transaction (the giveaway row must exist). Idempotent: a second call keeps the first. */
export async function createCommitment(
  tx: db.Queryable,
  giveawayId: string,
  options: CommitmentOptions = {},
): Promise<Commitment> {
  const serverSeed = generateServerSeed();
  const commitment = seedCommitment(serverSeed);
  let beacon: BeaconCommitment | null = null;
  if (options.beacon === 'drand') {
    const row = await db.selectOne('giveaways', { id: giveawayId }, { columns: ['ends_at'] }).run(tx);
    if (!row) throw new Error(`giveaway ${giveawayId} must exist before its commitment`);
    beacon = {
      network: QUICKNET.network,
      chain_hash: QUICKNET.chainHash,
      round: beaconRoundAt(new Date(row.ends_at)),
    };
  }
  const rows = await db.sql`
    INSERT INTO ${'draw_commitments'} (${'giveaway_id'}, ${'server_seed'}, ${'seed_commitment'}, ${'beacon'})
    VALUES (${db.param(giveawayId)}, ${db.param(serverSeed)}, ${db.param(commitment)},
      ${db.param(beacon === null ? null : JSON.stringify(beacon))}::jsonb)
    ON CONFLICT (${'giveaway_id'}) DO UPDATE SET ${'giveaway_id'} = EXCLUDED.${'giveaway_id'}
    RETURNING ${'seed_commitment'}, ${'beacon'}`.run(tx);
  const stored = (rows as Array<{ seed_commitment: string; beacon: BeaconCommitment | null }>)[0];
  return stored
    ? { seedCommitment: stored.seed_commitment, beacon: stored.beacon }
    : { seedCommitment: commitment, beacon };
}

export async function hasCommitment(client: db.Queryable, giveawayId: string): Promise<boolean> {
  const row = await db
    .selectOne('draw_commitments', { giveaway_id: giveawayId }, { columns: ['giveaway_id'] })
    .run(client);
  return row !== undefined;
}

/**
 * Publishes the frozen entrants' root and count (§2). Written once: a second call with other values means the
 * frozen list changed after close, which must stop the draw rather than be papered over.
 */
export async function commitEntrants(
  client: db.Queryable,
  giveawayId: string,
  root: string,
  count: number,
): Promise<void> {
  const rows = await db.sql<db.SQL, Array<{ entrants_root: string; entrants_count: number }>>`
    UPDATE ${'draw_commitments'} SET ${'entrants_root'} = COALESCE(${'entrants_root'}, ${db.param(root)}),
      ${'entrants_count'} = COALESCE(${'entrants_count'}, ${db.param(count)})
    WHERE ${'giveaway_id'} = ${db.param(giveawayId)}
    RETURNING ${'entrants_root'}, ${'entrants_count'}`.run(client);
  const stored = rows[0];
  if (!stored) throw new Error(`giveaway ${giveawayId} has no draw commitment`);
  if (stored.entrants_root !== root || stored.entrants_count !== count) {
    throw new Error(
      `giveaway ${giveawayId}: frozen entrants hash to ${root} (${count}), but ${stored.entrants_root} ` +
        `(${stored.entrants_count}) was committed at close`,
    );
  }
}
