// SQL of the requirements capability: a giveaway's requirements (insert in the caller's transaction, list
// for one or many giveaways in one query) and the stored facts a check needs about a user.
import * as db from 'zapatos/db';
import type { NewRequirement, RequirementSubject, StoredRequirement } from './requirement-checker.ts';

export async function insertRequirements(
  client: db.Queryable,
  giveawayId: string,
  rows: readonly NewRequirement[],
): Promise<StoredRequirement[]> {
  if (rows.length === 0) return [];
  return db
    .insert(
      'requirements',
      rows.map((row, position) => ({ ...row, giveaway_id: giveawayId, position })),
    )
    .run(client);
}

export async function selectRequirementsForGiveaway(
  client: db.Queryable,
  giveawayId: string,
): Promise<StoredRequirement[]> {
  return db
    .select('requirements', { giveaway_id: giveawayId }, { order: { by: 'position', direction: 'ASC' } })
    .run(client);
}

/** One query for a whole list view, ordered by giveaway then position. */
export async function selectRequirementsForGiveaways(
  client: db.Queryable,
  giveawayIds: readonly string[],
): Promise<StoredRequirement[]> {
  if (giveawayIds.length === 0) return [];
  return db
    .select(
      'requirements',
      { giveaway_id: db.sql`${db.self} = ANY(${db.param([...giveawayIds])}::uuid[])` },
      {
        order: [
          { by: 'giveaway_id', direction: 'ASC' },
          { by: 'position', direction: 'ASC' },
        ],
      },
    )
    .run(client);
}

export async function selectSubject(
  client: db.Queryable,
  userId: number,
): Promise<RequirementSubject | undefined> {
  const row = await db
    .selectOne('users', { id: userId }, { columns: ['id', 'is_premium', 'wallet_address'] })
    .run(client);
  return row
    ? { userId: Number(row.id), isPremium: row.is_premium, walletAddress: row.wallet_address }
    : undefined;
}

export async function deleteRequirementsForGiveaway(
  client: db.Queryable,
  giveawayId: string,
): Promise<number> {
  const rows = await db
    .deletes('requirements', { giveaway_id: giveawayId }, { returning: ['id'] })
    .run(client);
  return rows.length;
}

/** Copies a giveaway's requirements onto another (recreate), every field kept, in one statement. */
export async function copyRequirements(txn: db.Queryable, fromId: string, toId: string): Promise<void> {
  await db.sql`INSERT INTO ${'requirements'} (${'giveaway_id'}, ${'position'}, ${'type'}, ${'channel_id'},
      ${'channel_username'}, ${'name'}, ${'description'}, ${'avatar_url'}, ${'url'}, ${'ton_min_balance_nano'},
      ${'jetton_address'}, ${'jetton_min_amount'}, ${'account_age_min_year'}, ${'account_age_max_year'}, ${'checkable'},
      ${'jetton_decimals'}, ${'jetton_symbol'}, ${'jetton_image'})
    SELECT ${db.param(toId)}::uuid, position, type, channel_id, channel_username, name, description, avatar_url, url,
      ton_min_balance_nano, jetton_address, jetton_min_amount, account_age_min_year, account_age_max_year, checkable,
      jetton_decimals, jetton_symbol, jetton_image
    FROM ${'requirements'} WHERE ${'giveaway_id'} = ${db.param(fromId)}`.run(txn);
}
