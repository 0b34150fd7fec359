// Winners and what they won. Winners come from `giveaway:{gid}:winners` when it holds any, else from the
// win records (ticket draws never wrote the winners key). Prizes come from the legacy win records when there
// are some (they say what the legacy draw actually gave, index mapping included), else from our distribution
// rule over the imported prizes. One row per (winner, prize) with its quantity.
import { createHash } from 'node:crypto';
import type * as s from 'zapatos/schema';
import { distributePrizes } from '../draws/index.ts';
import type { ImportReport } from './import-report.ts';
import { parseWinners, type LegacyWinRecord } from './legacy-records.ts';
import type { PrizeRow } from './prize-mapping.ts';

export interface WinnerRow {
  place: number;
  userId: number;
}

export interface WinRecordRow {
  id: string;
  userId: number;
  place: number;
  prizePosition: number | null;
  prizeId: string | null;
  title: string;
  description: string;
  quantity: number;
  status: s.win_status;
  receivedAt: Date | null;
  createdAt: Date;
}

export interface WinnersInput {
  giveawayId: string;
  winnersKey: string;
  winnersJson: string | null;
  records: readonly LegacyWinRecord[];
  prizes: readonly PrizeRow[];
  finishedAt: Date;
}

export interface MappedWinners {
  winners: WinnerRow[];
  winRecords: WinRecordRow[];
  /** Where the winners came from, for the proof bundle. */
  from: string | null;
}

export function mapWinners(input: WinnersInput, report: ImportReport): MappedWinners {
  let listed: WinnerRow[] = [];
  let from: string | null = null;
  if (input.winnersJson !== null) {
    const parsed = parseWinners(input.winnersJson);
    if (!parsed.ok) report.skip(input.winnersKey, parsed.reason, parsed.detail);
    else {
      for (const p of parsed.value.problems) report.skip(input.winnersKey, 'invalid_winner', p);
      listed = parsed.value.winners;
      if (listed.length > 0) from = input.winnersKey;
    }
  }
  if (from === null && input.records.length > 0) {
    const byUser = new Map<number, WinnerRow>();
    for (const r of input.records) {
      const seen = byUser.get(r.userId);
      if (!seen || r.place < seen.place) byUser.set(r.userId, { place: r.place, userId: r.userId });
    }
    listed = [...byUser.values()];
    from = 'win_record:*';
  }
  const winners = uniqueWinners(listed, input.winnersKey, report);
  const winRecords =
    input.records.length > 0 ? fromLegacyRecords(input, winners, report) : fromDistribution(input, winners);
  return { winners, winRecords, from: winners.length > 0 ? from : null };
}

/** By place; a user or place seen twice keeps its first entry. */
function uniqueWinners(rows: WinnerRow[], key: string, report: ImportReport): WinnerRow[] {
  const places = new Set<number>();
  const users = new Set<number>();
  const out: WinnerRow[] = [];
  for (const w of [...rows].sort((a, b) => a.place - b.place || a.userId - b.userId)) {
    if (places.has(w.place) || users.has(w.userId)) {
      report.skip(key, 'duplicate_winner', `place ${w.place}, user ${w.userId}`);
      continue;
    }
    places.add(w.place);
    users.add(w.userId);
    out.push(w);
  }
  return out;
}

function fromLegacyRecords(input: WinnersInput, winners: WinnerRow[], report: ImportReport): WinRecordRow[] {
  const placeOf = new Map(winners.map((w) => [w.userId, w.place]));
  const groups = new Map<string, { first: LegacyWinRecord; place: number; quantity: number }>();
  for (const r of input.records) {
    const place = placeOf.get(r.userId);
    if (place === undefined) {
      report.skip(`win_record:${r.id ?? ''}`, 'win_record_user_not_winner', `user ${r.userId}`);
      continue;
    }
    if (r.prizeId === null) continue; // Manual (custom) completions recorded winners without prizes.
    const group = `${r.userId}:${r.prizeId}`;
    const g = groups.get(group);
    if (g) g.quantity++;
    else groups.set(group, { first: r, place, quantity: 1 });
  }
  const used = new Set<string>();
  return [...groups.values()].map(({ first, place, quantity }) => {
    const prize =
      input.prizes.find((p) => p.prize_id === first.prizeId && p.place === place) ??
      input.prizes.find((p) => p.prize_id === first.prizeId);
    const id =
      first.id !== null && !used.has(first.id)
        ? first.id
        : stableUuid(input.giveawayId, place, first.prizeId);
    used.add(id);
    return {
      id,
      userId: first.userId,
      place,
      prizePosition: prize?.position ?? null,
      prizeId: first.prizeId,
      title: prize?.title ?? 'Prize',
      description: prize?.description ?? '',
      quantity,
      status: first.status,
      receivedAt: first.status === 'distributed' ? (first.receivedAt ?? input.finishedAt) : first.receivedAt,
      createdAt: first.createdAt ?? input.finishedAt,
    };
  });
}

function fromDistribution(input: WinnersInput, winners: WinnerRow[]): WinRecordRow[] {
  if (winners.length === 0 || input.prizes.length === 0) return [];
  // distributePrizes works on places 1..n: map our (possibly sparse) legacy places onto that order.
  const awards = distributePrizes(
    input.prizes.map((p) => ({ ...p, id: p.position })),
    winners.length,
  );
  return winners.flatMap((w, i) =>
    (awards[i] ?? []).map(({ prize, quantity }) => ({
      id: stableUuid(input.giveawayId, w.place, `${prize.position}`),
      userId: w.userId,
      place: w.place,
      prizePosition: prize.position,
      prizeId: prize.prize_id,
      title: prize.title,
      description: prize.description,
      quantity,
      status: 'pending' as const,
      receivedAt: null,
      createdAt: input.finishedAt,
    })),
  );
}

/** A UUID derived from its inputs, so a rerun or a resumed run writes the same ids as a clean run. */
export function stableUuid(...parts: Array<string | number | null>): string {
  const h = createHash('sha256').update(parts.map(String).join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
