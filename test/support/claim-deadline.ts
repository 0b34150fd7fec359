// Claim windows are at least 10 minutes, so tests move a deadline into the past in the database instead of
// waiting for it; the deadline scan and claims compare with the clock and see it as passed.
import type pg from 'pg';

/** Every place of the giveaway, or only `places`. */
export async function passClaimDeadline(pool: pg.Pool, giveawayId: string, places?: number[]): Promise<void> {
  await pool.query(
    `UPDATE winners SET claim_deadline = now() - interval '1 second'
     WHERE giveaway_id = $1 AND ($2::int[] IS NULL OR place = ANY($2::int[]))`,
    [giveawayId, places ?? null],
  );
}
