// Phase 3, shared by random and manual draws: inside the caller's transaction (giveaway row locked), write
// winners, win records by the prize rule, the proof, the completed status, and the notification jobs, so
// either all of it commits or none of it does.
import type * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';
import type { JobEnqueuer } from '../ports/index.ts';
import { distributePrizes } from './prize-distribution.ts';
import type { ProofBundle } from '../protocol/index.ts';
import {
  deleteDrawState,
  insertProof,
  insertWinRecords,
  insertWinners,
  markCompleted,
  selectPrizes,
  type WinRecordRow,
} from './result.queries.ts';

export interface DrawResult {
  giveawayId: string;
  creatorId: number;
  /** In place order. */
  winners: number[];
  source: s.winner_source;
  bundle: ProofBundle;
}

export async function writeResult(tx: db.Queryable, jobs: JobEnqueuer, result: DrawResult): Promise<void> {
  const { giveawayId, winners } = result;
  const prizes = await selectPrizes(tx, giveawayId);
  const awards = distributePrizes(prizes, winners.length);
  const records: WinRecordRow[] = winners.flatMap((userId, i) =>
    (awards[i] ?? []).map((a) => ({ userId, place: i + 1, prize: a.prize, quantity: a.quantity })),
  );

  await insertWinners(tx, giveawayId, winners, result.source);
  await insertWinRecords(tx, giveawayId, records);
  await insertProof(tx, giveawayId, result.bundle);
  await markCompleted(tx, giveawayId);
  await deleteDrawState(tx, giveawayId);

  await jobs.enqueueMany(
    tx,
    'notify-winner',
    winners.map((userId, i) => ({
      data: {
        giveaway_id: giveawayId,
        user_id: userId,
        place: i + 1,
        prizes: (awards[i] ?? []).map((a) => ({
          title: a.prize.title,
          description: a.prize.description,
          quantity: a.quantity,
        })),
      },
      singletonKey: `${giveawayId}:winner:${userId}`,
    })),
  );
  await jobs.enqueue(
    tx,
    'notify-creator',
    {
      giveaway_id: giveawayId,
      creator_id: result.creatorId,
      kind: 'completed',
      mode: result.bundle.mode === 'manual' ? 'manual' : 'random',
      winners: winners.length,
    },
    { singletonKey: `${giveawayId}:creator:completed` },
  );
}
