// REST shapes of giveaways: what the Mini App sends (create/update/status) and receives (views, lists).
import { z } from 'zod';
import { lineText, multilineText } from './text.ts';
import { MAX_REQUIREMENTS, RequirementItemInput, type RequirementView } from './requirements.ts';
import { ClaimWindowSeconds } from './draws.ts';

/** `drawing`: entries closed, the draw waits for its committed drand round (draw protocol §1, §3). */
export const GIVEAWAY_STATUSES = [
  'scheduled',
  'active',
  'drawing',
  'pending',
  'completed',
  'cancelled',
] as const;
export type GiveawayStatus = (typeof GIVEAWAY_STATUSES)[number];
export type UserRole = 'owner' | 'winner' | 'participant' | 'user';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const PrizeInput = z.object({
  // The Mini App sends the 1-based position here, not a winner rank (mini-app-api §3.5); a place beyond
  // winners_count is read as "loose" (spread over all winners), which is what the app means.
  place: int(1, 1_000_000).nullish(),
  title: lineText(20),
  description: multilineText(1000).nullish(),
  quantity: int(1, 1_000_000_000).nullish(),
});
export type PrizeInput = z.infer<typeof PrizeInput>;

export const SponsorInput = z.object({
  id: z
    .number()
    .int()
    .refine((v) => v !== 0, 'must be a chat id'),
});

export const CreateGiveawayBody = z
  .object({
    title: lineText(100),
    description: multilineText(1000).nullish(),
    duration: int(1, 5_184_000),
    winners_count: int(1, 1000),
    reserves_count: int(0, 1000).optional(),
    max_participants: int(0, 10_000_000).nullish(),
    allow_tickets: z.boolean().optional(),
    starts_at: z.iso.datetime({ offset: true }).nullish(),
    prizes: z.array(PrizeInput).max(100).optional(),
    /** pooled (default, what the Mini App means): prizes spread over all winners; ranked: `place` is a rank. */
    prize_mode: z.enum(['pooled', 'ranked']).optional(),
    requirements: z.array(RequirementItemInput).max(MAX_REQUIREMENTS).optional(),
    sponsors: z.array(SponsorInput).max(3, 'at most 3 sponsors').optional(),
    /**
     * drand: the draw also uses the drand quicknet round after ends_at (the default when the server has drand
     * relays configured); none: commit-reveal only.
     */
    beacon: z.enum(['drand', 'none']).optional(),
    /**
     * Seconds each winner has to claim the place (600–604800); an unclaimed place passes to the next reserve.
     * Absent or null: winners need not claim.
     */
    claim_window: ClaimWindowSeconds.nullish(),
  })
  .strip();
export type CreateGiveawayBody = z.infer<typeof CreateGiveawayBody>;

export const UpdateGiveawayBody = z
  .object({
    title: lineText(100).optional(),
    description: multilineText(1000).optional(),
    prizes: z.array(PrizeInput).max(100).optional(),
    prize_mode: z.enum(['pooled', 'ranked']).optional(),
    sponsors: z.array(SponsorInput).max(3).optional(),
    /** null turns the claim window off. */
    claim_window: ClaimWindowSeconds.nullable().optional(),
  })
  .strip();
export type UpdateGiveawayBody = z.infer<typeof UpdateGiveawayBody>;

export const StatusBody = z.object({ status: z.enum(GIVEAWAY_STATUSES) });

export const TicketsBody = z.object({
  user_id: z.number().int().positive(),
  ticket_count: int(1, 1_000_000),
});

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
  cursor: z.string().max(512).optional(),
  min_participants: z.coerce.number().int().min(0).max(10_000_000).optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const GiveawayIdParam = z.object({ id: z.uuid('must be a giveaway id') });

export interface PrizeView {
  place: number | null;
  title: string;
  description: string;
  quantity: number;
  prize_type: 'custom';
}

export interface SponsorView {
  id: number;
  title: string;
  username: string;
  avatar_url: string;
  url: string;
}

export interface WinnerView {
  place: number;
  user_id: number;
  username: string;
  name: string;
  avatar_url: string;
  prizes: Array<{ title: string; description: string; quantity: number }>;
  /** When this holder's claim window ends; null when the giveaway has no claim window. */
  claim_deadline: string | null;
  /** When this holder claimed; null until then. */
  claimed_at: string | null;
  /** Set once the creator extended this holder's window (possible once). */
  claim_extended_at: string | null;
}

/** A place nobody holds: its last holder did not claim in time and no reserve was left. */
export interface VacantPlaceView {
  place: number;
  previous_user_id: number;
  reason: string;
  vacated_at: string;
}

export interface BeaconCommitmentView {
  network: 'drand-quicknet';
  chain_hash: string;
  round: number;
}

/** One giveaway as the Mini App reads it (IGiveaway), plus our fields. */
export interface GiveawayView {
  id: string;
  creator_id: number;
  title: string;
  description: string;
  status: GiveawayStatus;
  started_at: string;
  ends_at: string;
  duration: number;
  winners_count: number;
  reserves_count: number;
  max_participants: number;
  allow_tickets: boolean;
  participants_count: number;
  version: number;
  created_at: string;
  updated_at: string;
  prizes: PrizeView[];
  sponsors: SponsorView[];
  requirements: RequirementView[];
  winners: WinnerView[];
  /** Seconds each winner has to claim the place; null: no claim needed. */
  claim_window: number | null;
  /** Places left empty (see VacantPlaceView), in place order; not part of `winners`. */
  vacant_places: VacantPlaceView[];
  seed_commitment: string | null;
  /** The drand round the draw will use, committed at creation; null: commit-reveal only. */
  beacon: BeaconCommitmentView | null;
  /** The Merkle root and size of the frozen entrant list: null until entries close. */
  entrants_root: string | null;
  entrants_count: number | null;
  /** Only on the single-giveaway view, computed for the caller. */
  user_role?: UserRole;
  can_edit?: boolean;
  msg_id?: string | null;
  user_tickets?: number;
}
