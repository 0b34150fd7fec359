// The Mini App's view of a manual winners list (IUserPreviewCheckWinner): profile fields with fallbacks the
// client can render, and each candidate's prizes by the distribution rule, omitted rather than empty.
import type { ManualCandidate } from '../../../schema/contract/draws.ts';
import type { CandidateSource, UserProfile } from './manual-winners.queries.ts';
import { distributePrizes } from '../results/index.ts';
import type { PrizeRow } from '../results/index.ts';

export interface Candidate {
  userId: number;
  source: CandidateSource;
}

/** `prizes` null: no giveaway to take prizes from (a preview without one). */
export function toCandidateViews(
  candidates: readonly Candidate[],
  profiles: Map<number, UserProfile>,
  prizes: readonly PrizeRow[] | null,
): ManualCandidate[] {
  const awards = prizes ? distributePrizes(prizes, candidates.length) : [];
  return candidates.map((c, i) => {
    const p = profiles.get(c.userId);
    const username = p?.username ?? undefined;
    const name = [p?.firstName ?? '', p?.lastName ?? ''].join(' ').trim() || username || `user_${c.userId}`;
    const avatar = p?.avatarUrl || (username ? `https://t.me/i/userpic/160/${username}.jpg` : '');
    const won = (awards[i] ?? []).map((a) => ({
      title: a.prize.title,
      description: a.prize.description,
      quantity: a.quantity,
    }));
    return {
      user_id: c.userId,
      ...(username ? { username } : {}),
      name,
      avatar_url: avatar,
      source: c.source,
      ...(won.length > 0 ? { prizes: won } : {}),
    };
  });
}
