// SQL of the exports capability: the owner check's row and the winners × prizes listing.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';

export async function selectGiveawayOwner(
  client: db.Queryable,
  giveawayId: string,
): Promise<{ creatorId: number } | undefined> {
  const row = await db.selectOne('giveaways', { id: giveawayId }, { columns: ['creator_id'] }).run(client);
  return row ? { creatorId: Number(row.creator_id) } : undefined;
}

export interface WinnerPrizeRow {
  place: number;
  user_id: number;
  username: string | null;
  first_name: string;
  last_name: string;
  wallet_address: string | null;
  prize_title: string | null;
  prize_description: string | null;
  prize_quantity: number | null;
}

/**
 * One row per (winner, prize); a winner without win records still gets one row with empty prize columns.
 * Prizes follow the giveaway's prize order (position), then title for records whose prize row is gone.
 */
export async function selectWinnerPrizes(
  client: db.Queryable,
  giveawayId: string,
): Promise<WinnerPrizeRow[]> {
  type Raw = Omit<WinnerPrizeRow, 'user_id'> & { user_id: string };
  const rows = await db.sql<s.winners.SQL | s.users.SQL | s.win_records.SQL | s.giveaway_prizes.SQL, Raw[]>`
    SELECT w.${'place'}, w.${'user_id'}, u.${'username'}, u.${'first_name'}, u.${'last_name'},
           u.${'wallet_address'}, r.${'prize_title'}, r.${'prize_description'}, r.${'quantity'} AS prize_quantity
    FROM ${'winners'} w
    JOIN ${'users'} u ON u.${'id'} = w.${'user_id'}
    LEFT JOIN ${'win_records'} r ON r.${'giveaway_id'} = w.${'giveaway_id'} AND r.${'place'} = w.${'place'}
    LEFT JOIN ${'giveaway_prizes'} gp ON gp.${'id'} = r.${'giveaway_prize_id'}
    WHERE w.${'giveaway_id'} = ${db.param(giveawayId)}
    ORDER BY w.${'place'}, gp.${'position'} NULLS LAST, r.${'prize_title'}, r.${'id'}`.run(client);
  // bigint comes back as a string from raw queries.
  return rows.map((r) => ({ ...r, user_id: Number(r.user_id) }));
}
