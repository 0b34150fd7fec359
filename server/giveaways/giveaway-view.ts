// Turns database rows into the Mini App's giveaway shape (IGiveaway): numbers for Telegram ids, ISO dates,
// arrays never null, usernames without "@".
import type {
  BeaconCommitmentView,
  GiveawayView,
  PrizeView,
  SponsorView,
  RequirementView,
  UserRole,
  VacantPlaceView,
  WinnerView,
} from '../../schema/contract/index.ts';
import type { GiveawayRow, selectVacantPlaces, selectWinners } from './giveaways.queries.ts';

type WinnerRows = Awaited<ReturnType<typeof selectWinners>>;
type VacantRows = Awaited<ReturnType<typeof selectVacantPlaces>>;

const iso = (d: string | Date) => new Date(d).toISOString();

export function toPrizeViews(row: GiveawayRow): PrizeView[] {
  return row.prizes.map((p) => ({
    place: p.place,
    title: p.title,
    description: p.description,
    quantity: p.quantity,
    prize_type: 'custom',
  }));
}

/** Link to a sponsor channel's avatar (the public avatar proxy); absent without a bot, which serves it. */
export type SponsorAvatarUrl = (chatId: number) => string;

export function toSponsorViews(row: GiveawayRow, avatarOf?: SponsorAvatarUrl): SponsorView[] {
  return row.sponsors.map(({ sponsor }) => ({
    id: Number(sponsor.id),
    title: sponsor.title,
    username: sponsor.username ?? '',
    avatar_url: sponsor.avatar_url || (avatarOf?.(Number(sponsor.id)) ?? ''),
    url: sponsor.channel_url ?? (sponsor.username ? `https://t.me/${sponsor.username}` : ''),
  }));
}

export function toWinnerViews(rows: WinnerRows): WinnerView[] {
  return rows.map((w) => ({
    place: w.place,
    user_id: Number(w.user_id),
    username: w.user?.username ?? '',
    name: [w.user?.first_name, w.user?.last_name].filter(Boolean).join(' ') || `User ${w.user_id}`,
    avatar_url: w.user?.avatar_url ?? '',
    prizes: w.prizes.map((p) => ({
      title: p.prize_title,
      description: p.prize_description,
      quantity: p.quantity,
    })),
    claim_deadline: w.claim_deadline ? iso(w.claim_deadline) : null,
    claimed_at: w.claimed_at ? iso(w.claimed_at) : null,
    claim_extended_at: w.claim_extended_at ? iso(w.claim_extended_at) : null,
  }));
}

export function toVacantPlaceViews(rows: VacantRows): VacantPlaceView[] {
  return rows.map((r) => ({
    place: r.place,
    previous_user_id: Number(r.previous_user_id),
    reason: r.reason,
    vacated_at: iso(r.created_at),
  }));
}

export function toGiveawayView(
  row: GiveawayRow,
  requirements: RequirementView[],
  winners: WinnerView[] = [],
  avatarOf?: SponsorAvatarUrl,
  vacantPlaces: VacantPlaceView[] = [],
): GiveawayView {
  return {
    id: row.id,
    creator_id: Number(row.creator_id),
    title: row.title,
    description: row.description,
    status: row.status,
    started_at: iso(row.started_at),
    ends_at: iso(row.ends_at),
    duration: row.duration,
    winners_count: row.winners_count,
    reserves_count: row.reserves_count,
    max_participants: row.max_participants,
    allow_tickets: row.allow_tickets,
    participants_count: row.participants_count,
    version: Number(row.version),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    prizes: toPrizeViews(row),
    sponsors: toSponsorViews(row, avatarOf),
    requirements,
    winners,
    claim_window: row.claim_window,
    vacant_places: vacantPlaces,
    seed_commitment: row.commitment?.seed_commitment ?? null,
    // Draw protocol §1–§2: public before the draw, so anyone can later check the proof against them.
    beacon: (row.commitment?.beacon ?? null) as BeaconCommitmentView | null,
    entrants_root: row.proof?.entrants_root ?? row.commitment?.entrants_root ?? null,
    entrants_count: row.proof ? row.proof.entrants_count : (row.commitment?.entrants_count ?? null),
  };
}

export function userRoleOf(
  isOwner: boolean,
  relation: { isParticipant: boolean; isWinner: boolean },
): UserRole {
  if (isOwner) return 'owner';
  if (relation.isWinner) return 'winner';
  return relation.isParticipant ? 'participant' : 'user';
}
