// Wire shapes of giveaway requirements: what the Mini App sends at create (mini-app-api §3.5), the owner view
// items (§3.6/§4 IGiveawayRequirement), the check-requirements answer (§3.7) and the template lists (§3.15/§3.16).
import { z } from 'zod';
import { lineText, multilineText } from './text.ts';
import { HoldJettonRequirementInput, HoldTonRequirementInput } from './ton.ts';

/** Types the server stores (the database enum). */
export const REQUIREMENT_TYPES = [
  'subscription',
  'boost',
  'custom',
  'premium',
  'holdton',
  'holdjetton',
  'account_age',
] as const;
export type RequirementType = (typeof REQUIREMENT_TYPES)[number];

/** The Mini App also knows `connectwallet`, a client-only row that is never stored. */
export type MiniAppRequirementType = RequirementType | 'connectwallet';

export const MAX_REQUIREMENTS = 10;
export const CUSTOM_NAME_MAX = 100;
export const CUSTOM_DESCRIPTION_MAX = 1000;
/** Telegram launched in 2013; the database accepts 2013..2100. */
export const ACCOUNT_AGE_YEAR_MIN = 2013;
export const ACCOUNT_AGE_YEAR_MAX = 2100;

/** A channel username without `@`; empty means "none". */
const ChannelUsername = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const bare = v.trim().replace(/^@/, '');
    return bare === '' ? undefined : bare;
  },
  z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/, 'must be a Telegram username (letters, digits, underscore)')
    .optional(),
);

const OptionalText = (max: number, text: (max: number) => z.ZodType<string>) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() || undefined : (v ?? undefined)),
    text(max).optional(),
  );

const Year = z.number().int().min(ACCOUNT_AGE_YEAR_MIN).max(ACCOUNT_AGE_YEAR_MAX).nullish();

export const ChannelRequirementInput = z
  .object({
    type: z.enum(['subscription', 'boost']),
    channel_id: z.number().int().refine(Number.isSafeInteger, 'must be a Telegram chat id').nullish(),
    channel_username: ChannelUsername,
  })
  .refine((v) => v.channel_id != null || v.channel_username !== undefined, {
    message: 'channel_id or channel_username is required',
    path: ['channel_id'],
  });

export const PremiumRequirementInput = z.object({ type: z.literal('premium') });

export const CustomRequirementInput = z
  .object({
    type: z.literal('custom'),
    name: OptionalText(CUSTOM_NAME_MAX, lineText),
    description: OptionalText(CUSTOM_DESCRIPTION_MAX, multilineText),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined, {
    message: 'a custom requirement needs a name or a description',
    path: ['name'],
  });

export const AccountAgeRequirementInput = z
  .object({
    type: z.literal('account_age'),
    account_age_min_year: Year,
    account_age_max_year: Year,
  })
  .refine((v) => v.account_age_min_year != null || v.account_age_max_year != null, {
    message: 'account_age_min_year or account_age_max_year is required',
    path: ['account_age_max_year'],
  })
  .refine(
    (v) =>
      v.account_age_min_year == null ||
      v.account_age_max_year == null ||
      v.account_age_min_year <= v.account_age_max_year,
    {
      message: 'account_age_min_year must not be after account_age_max_year',
      path: ['account_age_min_year'],
    },
  );

/** The Mini App's client-only "connect a wallet" row: accepted by the schema, refused as UNSUPPORTED by the server. */
export const ConnectWalletRequirementInput = z.object({ type: z.literal('connectwallet') });

/**
 * One create-time requirement, told apart by `type`. The shape is checked here (fields reported by index, e.g.
 * `requirements.0.channel_id`); whether this server can check a type (the bot for subscription/boost, TonAPI for
 * holdton/holdjetton) is decided by the requirements service, which answers UNSUPPORTED.
 */
export const RequirementItemInput = z.discriminatedUnion('type', [
  ChannelRequirementInput,
  PremiumRequirementInput,
  CustomRequirementInput,
  AccountAgeRequirementInput,
  HoldTonRequirementInput,
  HoldJettonRequirementInput,
  ConnectWalletRequirementInput,
]);
export type RequirementItemInput = z.output<typeof RequirementItemInput>;

/** The create-time schema of each type this server can accept (subscription/boost only with the bot). */
export const REQUIREMENT_INPUTS = {
  subscription: ChannelRequirementInput,
  boost: ChannelRequirementInput,
  premium: PremiumRequirementInput,
  custom: CustomRequirementInput,
  account_age: AccountAgeRequirementInput,
  holdton: HoldTonRequirementInput,
  holdjetton: HoldJettonRequirementInput,
} as const;

export type RequirementInput =
  | z.output<typeof ChannelRequirementInput>
  | z.output<typeof PremiumRequirementInput>
  | z.output<typeof CustomRequirementInput>
  | z.output<typeof AccountAgeRequirementInput>
  | z.output<typeof HoldTonRequirementInput>
  | z.output<typeof HoldJettonRequirementInput>;

/** Channel data as the Mini App reads it (`IChannelInfo` / `chat_info`). */
export interface ChatInfo {
  id?: number;
  title: string;
  username: string;
  type: string;
  avatar_url: string;
  url?: string;
}

/** One item of a giveaway's `requirements[]` (the Mini App's IGiveawayRequirement, plus `id`). */
export interface RequirementView {
  id: number;
  type: RequirementType;
  name: string;
  description?: string;
  username?: string;
  url?: string;
  avatar_url?: string;
  channel_id?: number;
  channel?: ChatInfo;
  chat_info?: ChatInfo;
  account_age_min_year?: number;
  account_age_max_year?: number;
  ton_min_balance_nano?: number;
  amount?: number;
  address?: string;
  jetton_address?: string;
  jetton_min_amount?: number;
  jetton_symbol?: string;
  jetton_image?: string;
  checkable: boolean;
}

/** One item of `GET /giveaways/:id/check-requirements` → results[]. */
export interface RequirementCheckItem extends Omit<RequirementView, 'chat_info'> {
  username: string;
  status: 'success' | 'failed';
  /** Machine reason: 'ok', 'not_premium', 'account_too_new', 'account_too_old', 'uncheckable', 'check_failed', ... */
  code: string;
  /** Human sentence, shown by the Mini App for account_age; present whenever status is 'failed'. */
  error?: string;
  link?: string;
  chat_info: ChatInfo;
}

export interface CheckRequirementsResponse {
  giveaway_id: string;
  results: RequirementCheckItem[];
  all_met: boolean;
}

export interface RequirementTemplate {
  id: string;
  name: string;
  type: RequirementType;
}

export interface PrizeTemplate {
  name: string;
  description: string;
  type: 'custom';
}
