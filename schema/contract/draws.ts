// Wire shapes of closing and drawing: the public proof and entrant list (draw protocol v1), inclusion
// proofs, and the Mini App's manual-winners list (mini-app-api §3.12–3.14, §3.21).
import { z } from 'zod';

export const DrawGiveawayParams = z.object({ id: z.uuid('must be a giveaway id') });

export const ENTRANTS_PAGE_MAX = 1000;

export const EntrantsQuery = z.object({
  /** The last user_id of the previous page (next_cursor), as a decimal string. */
  cursor: z
    .string()
    .regex(/^[0-9]{1,19}$/, 'must be a next_cursor value')
    // user_id is an int8: a larger value would fail its cast in PostgreSQL, mid-stream for NDJSON.
    // (zod runs refinements after a failed regex too, so this one must not throw on non-digits.)
    .refine(
      (v) => !/^[0-9]+$/.test(v) || BigInt(v) <= 9_223_372_036_854_775_807n,
      'must be a next_cursor value',
    )
    .optional(),
  limit: z.coerce.number().int().min(1).max(ENTRANTS_PAGE_MAX).optional(),
  /**
   * json (default): one keyset page. ndjson: the whole canonical list streamed, one `{"user_id","weight"}`
   * object per line (from `cursor` on when given), for verifiers of very large draws.
   */
  format: z.enum(['json', 'ndjson']).optional(),
});
export type EntrantsQuery = z.infer<typeof EntrantsQuery>;

export const InclusionQuery = z.object({
  /** Defaults to the caller. */
  user_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});

/** GET …/inclusion/:user_id: one entrant's Merkle path. */
export const InclusionParams = z.object({
  id: z.uuid('must be a giveaway id'),
  user_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export const REROLL_REASONS = ['declined', 'unclaimed', 'ineligible', 'other'] as const;
export type RerollReason = (typeof REROLL_REASONS)[number];

export const RerollParams = z.object({
  id: z.uuid('must be a giveaway id'),
  place: z.coerce.number().int().min(1).max(1000),
});

/** POST /giveaways/:id/winners/:place/reroll (owner or admin). */
export const RerollBody = z
  .object({
    reason: z.enum(REROLL_REASONS),
    /** Kept in the operator's log, not in the public proof. */
    note: z.string().trim().max(500).optional(),
    /** When given, the reroll applies only if this user still holds the place (a repeated click is refused). */
    replaced_user_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();
export type RerollBody = z.infer<typeof RerollBody>;

export interface RerollResult {
  giveaway_id: string;
  place: number;
  replaced_user_id: number;
  by_user_id: number;
  reason: RerollReason;
  /** reserve: the first unused reserve; stream: reserves were used up and the draw's stream continued. */
  from: 'reserve' | 'stream';
  /** Who holds each place now. */
  winners: Array<{ place: number; user_id: number }>;
  reserves_left: number;
  /** Entrants found ineligible while the stream continued, appended to the proof's exclusions. */
  excluded: Array<{ user_id: number; reason: string }>;
}

/** GET /api/public/giveaways/:id/commitment: what was published before the draw (§1, §2). */
export interface DrawCommitmentResponse {
  giveaway_id: string;
  status: string;
  ends_at: string;
  seed_commitment: string;
  beacon: { network: 'drand-quicknet'; chain_hash: string; round: number } | null;
  /** From close; null before. */
  entrants_root: string | null;
  entrants_count: number | null;
  /** True once the proof bundle is public. */
  drawn: boolean;
}

/** Multipart/text uploads carry the optional giveaway of a preview as a form field or query parameter. */
export const PreviewFields = z.object({ giveaway_id: z.uuid('must be a giveaway id').optional() });

const UserId = z.union([z.number().int().positive(), z.string().regex(/^[0-9]{1,19}$/)]);

export const Entrant = z.object({ user_id: UserId, weight: z.number().int().min(1) });
export type Entrant = z.infer<typeof Entrant>;

export const EntrantsPage = z.object({
  entrants: z.array(Entrant),
  /** null on the last page. */
  next_cursor: z.string().nullable(),
});
export type EntrantsPage = z.infer<typeof EntrantsPage>;

const Hex32 = z.string().regex(/^[0-9a-f]{64}$/);
const IsoTime = z.string();

export const RandomProofBundle = z.object({
  protocol: z.literal('giveaway-draw/v1'),
  mode: z.literal('random').optional(),
  giveaway_id: z.string(),
  seed_commitment: Hex32,
  server_seed: Hex32,
  beacon: z
    .object({
      network: z.string(),
      chain_hash: z.string(),
      round: z.number().int().positive(),
      signature: z.string(),
      randomness: Hex32,
    })
    .nullable(),
  entrants_root: Hex32,
  entrants_count: z.number().int().min(0),
  total_weight: z.number().int().min(0),
  winners_count: z.number().int().min(0),
  reserves_count: z.number().int().min(0),
  exclusions: z.array(z.object({ user_id: UserId, reason: z.string() })),
  winners: z.array(z.object({ place: z.number().int().positive(), user_id: UserId })),
  reserves: z.array(UserId),
  rerolls: z.array(
    z.object({
      place: z.number().int().positive(),
      replaced_user_id: UserId,
      by_user_id: UserId,
      reason: z.string(),
    }),
  ),
  drawn_at: IsoTime,
});

export const ManualProofBundle = z.object({
  protocol: z.literal('giveaway-draw/v1'),
  mode: z.literal('manual'),
  giveaway_id: z.string(),
  entrants_root: Hex32,
  entrants_count: z.number().int().min(0),
  total_weight: z.number().int().min(0),
  winners_count: z.number().int().min(0),
  winners: z.array(z.object({ place: z.number().int().positive(), user_id: UserId, picked_at: IsoTime })),
  drawn_at: IsoTime,
});

/** GET /giveaways/:id/proof: the bundle exactly as stored (draw protocol v1 §5, manual §7). */
export const ProofBundleResponse = z.union([ManualProofBundle, RandomProofBundle]);
export type ProofBundleResponse = z.infer<typeof ProofBundleResponse>;

export const InclusionProofResponse = z.object({
  giveaway_id: z.string(),
  user_id: UserId,
  weight: z.number().int().min(1),
  index: z.number().int().min(0),
  leaf: Hex32,
  siblings: z.array(Hex32),
  entrants_root: Hex32,
  entrants_count: z.number().int().min(1),
});
export type InclusionProofResponse = z.infer<typeof InclusionProofResponse>;

export const CandidatePrize = z.object({
  title: z.string(),
  description: z.string(),
  quantity: z.number().int().min(1),
});

/**
 * IUserPreviewCheckWinner. `prizes` is absent, never empty, when the winner gets nothing: the Mini App reads
 * `prizes?.[0].title` and crashes on [].
 */
export const ManualCandidate = z.object({
  user_id: z.number().int().positive(),
  username: z.string().optional(),
  name: z.string(),
  avatar_url: z.string(),
  source: z.enum(['id', 'username']),
  prizes: z.array(CandidatePrize).min(1).optional(),
});
export type ManualCandidate = z.infer<typeof ManualCandidate>;

export const ManualCandidatesResponse = z.object({ results: z.array(ManualCandidate) });
export type ManualCandidatesResponse = z.infer<typeof ManualCandidatesResponse>;

/** What finalising manual winners (PATCH …/status {completed}) reports. */
export interface ManualFinalizeResult {
  status: 'completed';
  winners: number;
}

/** A giveaway's claim window in seconds (`claim_window` in create/update): 10 minutes to 7 days. */
export const CLAIM_WINDOW_MIN_SEC = 600;
export const CLAIM_WINDOW_MAX_SEC = 604_800;
export const ClaimWindowSeconds = z
  .number()
  .int('must be whole seconds')
  .min(CLAIM_WINDOW_MIN_SEC, 'must be at least 600 seconds (10 minutes)')
  .max(CLAIM_WINDOW_MAX_SEC, 'must be at most 604800 seconds (7 days)');

/** POST /giveaways/:id/claim: the caller claims the place they hold. */
export interface ClaimResult {
  giveaway_id: string;
  place: number;
  /** already_claimed: a repeat (another button press, a retry); nothing changed. */
  status: 'claimed' | 'already_claimed';
  claimed_at: string;
}

export const ExtendClaimParams = RerollParams;

/** POST /giveaways/:id/winners/:place/extend-claim (owner or admin), once per holder. */
export const ExtendClaimBody = z
  .object({
    /** Added to the current deadline; the giveaway's claim_window when absent. */
    seconds: ClaimWindowSeconds.optional(),
  })
  .strict();
export type ExtendClaimBody = z.infer<typeof ExtendClaimBody>;

export interface ExtendClaimResult {
  giveaway_id: string;
  place: number;
  user_id: number;
  claim_deadline: string;
  claim_extended_at: string;
}

/**
 * GET /api/public/giveaways/:id/claims: who holds each place now and where its claim stands. With the proof's
 * rerolls, anyone can follow each place from the draw to its holder (or to the empty place it became).
 */
export interface PublicClaimsResponse {
  giveaway_id: string;
  /** Seconds each winner has to claim; null: no claim needed. */
  claim_window: number | null;
  places: Array<{
    place: number;
    /** null: nobody claimed it in time and no reserve was left; the place stays empty. */
    user_id: number | null;
    claim_deadline: string | null;
    claimed_at: string | null;
    vacant: boolean;
  }>;
}
