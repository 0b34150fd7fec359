// The one checker interface and result type shared by join, the check endpoint and the draw.
// A checker that cannot decide answers `unknown`: never pass on error, never fail on error.
import type * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';
import type { RequirementType } from '../../schema/contract/requirements.ts';

export type { RequirementType };

export type RequirementStatus = 'passed' | 'failed' | 'unknown';

export interface RequirementResult {
  status: RequirementStatus;
  /** Human sentence, e.g. "Account registered in 2021, must be 2019 or earlier". */
  reason: string;
  /** Machine reason: 'ok', 'not_premium', 'account_too_new', 'not_subscribed', 'check_failed', ... */
  code: string;
  /** Where the user can fix it (channel, boost link), if anywhere. */
  link: string | null;
}

/** The user a requirement is checked for, as stored (premium flag from init-data, TON-proof wallet). */
export interface RequirementSubject {
  userId: number;
  isPremium: boolean;
  walletAddress: string | null;
}

/** A requirement row as zapatos shortcuts return it (bigint ids as numbers). */
export type StoredRequirement = s.requirements.JSONSelectable;

/** A validated requirement ready to insert; giveaway_id and position are added at insert. */
export interface NewRequirement {
  type: RequirementType;
  channel_id: number | null;
  channel_username: string | null;
  name: string | null;
  description: string | null;
  avatar_url: string | null;
  url: string | null;
  ton_min_balance_nano: db.NumericString | null;
  jetton_address: string | null;
  jetton_min_amount: db.NumericString | null;
  account_age_min_year: number | null;
  account_age_max_year: number | null;
  /** holdjetton: read from TonAPI at create, never from the request. */
  jetton_decimals: number | null;
  jetton_symbol: string | null;
  jetton_image: string | null;
}

export interface RequirementChecker {
  readonly type: RequirementType;
  check(requirement: StoredRequirement, subject: RequirementSubject): Promise<RequirementResult>;
  /**
   * Create-time hook for channel requirements (subscription/boost): verify the creator may use the channel
   * (owns it, the bot is admin there) and fill in name/avatar_url/url. Throw AppError (FORBIDDEN,
   * VALIDATION, UNAVAILABLE) to refuse. Run by RequirementsService.prepareForCreate.
   */
  validateChannelRequirement?(
    requirement: NewRequirement,
    ctx: { creatorId: number },
  ): Promise<NewRequirement>;
}

export function emptyRequirement(type: RequirementType): NewRequirement {
  return {
    type,
    channel_id: null,
    channel_username: null,
    name: null,
    description: null,
    avatar_url: null,
    url: null,
    ton_min_balance_nano: null,
    jetton_address: null,
    jetton_min_amount: null,
    account_age_min_year: null,
    account_age_max_year: null,
    jetton_decimals: null,
    jetton_symbol: null,
    jetton_image: null,
  };
}

export const passed = (reason: string, link: string | null = null): RequirementResult => ({
  status: 'passed',
  reason,
  code: 'ok',
  link,
});

export const failed = (code: string, reason: string, link: string | null = null): RequirementResult => ({
  status: 'failed',
  reason,
  code,
  link,
});

export const unknown = (code: string, reason: string, link: string | null = null): RequirementResult => ({
  status: 'unknown',
  reason,
  code,
  link,
});
