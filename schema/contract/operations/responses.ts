// Response shapes of the REST operations as zod, for the OpenAPI document. Where a shape already had a zod
// schema in schema/contract it is reused; the rest mirror the TypeScript interfaces beside them (loose objects:
// fields may be added without breaking clients).
import { z } from 'zod';
import { GIVEAWAY_STATUSES } from '../giveaways.ts';

export const UserResponse = z.looseObject({
  id: z.number().int(),
  username: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  avatar_url: z.string(),
  is_premium: z.boolean().nullable(),
  role: z.string(),
  status: z.enum(['active', 'banned']),
  wallet_address: z.string(),
});

export const UserStatusResponse = z.looseObject({
  id: z.number().int(),
  username: z.string().nullable(),
  status: z.enum(['active', 'banned']),
  role: z.string(),
});

export const ApiKeyResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});
export const CreatedApiKeyResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  key: z.string().describe('The secret, returned only here'),
});

const PrizeView = z.looseObject({
  place: z.number().int().nullable(),
  title: z.string(),
  description: z.string(),
  quantity: z.number().int(),
});
const SponsorView = z.looseObject({
  id: z.number().int(),
  title: z.string(),
  username: z.string(),
  avatar_url: z.string(),
  url: z.string(),
});
const WinnerView = z.looseObject({
  place: z.number().int(),
  user_id: z.number().int(),
  username: z.string(),
  name: z.string(),
  avatar_url: z.string(),
  claim_deadline: z.string().nullable(),
  claimed_at: z.string().nullable(),
  claim_extended_at: z.string().nullable(),
});

export const GiveawayResponse = z.looseObject({
  id: z.uuid(),
  creator_id: z.number().int(),
  title: z.string(),
  description: z.string(),
  status: z.enum(GIVEAWAY_STATUSES),
  started_at: z.string(),
  ends_at: z.string(),
  duration: z.number().int(),
  winners_count: z.number().int(),
  reserves_count: z.number().int(),
  max_participants: z.number().int(),
  allow_tickets: z.boolean(),
  participants_count: z.number().int(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  prizes: z.array(PrizeView),
  sponsors: z.array(SponsorView),
  requirements: z.array(z.looseObject({ type: z.string() })),
  winners: z.array(WinnerView),
  claim_window: z.number().int().nullable(),
  vacant_places: z.array(
    z.looseObject({
      place: z.number().int(),
      previous_user_id: z.number().int(),
      reason: z.string(),
      vacated_at: z.string(),
    }),
  ),
  seed_commitment: z.string().nullable(),
  entrants_root: z.string().nullable(),
  entrants_count: z.number().int().nullable(),
});
export const GiveawayListResponse = z.array(GiveawayResponse).describe('Next page: the X-Next-Cursor header');

export const JoinResponse = z.object({ status: z.string() });

export const RequirementCheckResponse = z.looseObject({
  giveaway_id: z.uuid(),
  results: z.array(z.looseObject({ type: z.string(), status: z.string() })),
  all_met: z.boolean(),
});

export const TemplatesResponse = z.array(z.looseObject({ name: z.string(), type: z.string() }));

export const CommitmentResponse = z.looseObject({
  giveaway_id: z.uuid(),
  status: z.string(),
  ends_at: z.string(),
  seed_commitment: z.string(),
  entrants_root: z.string().nullable(),
  entrants_count: z.number().int().nullable(),
  drawn: z.boolean(),
});

export const RerollResponse = z.looseObject({
  giveaway_id: z.uuid(),
  place: z.number().int(),
  replaced_user_id: z.number().int(),
  from: z.enum(['reserve', 'stream']),
  winners: z.array(z.object({ place: z.number().int(), user_id: z.number().int() })),
  reserves_left: z.number().int(),
});

export const ClaimResponse = z.looseObject({
  giveaway_id: z.uuid(),
  place: z.number().int(),
  status: z.enum(['claimed', 'already_claimed']),
  claimed_at: z.string(),
});

export const ExtendClaimResponse = z.looseObject({
  giveaway_id: z.uuid(),
  place: z.number().int(),
  user_id: z.number().int(),
  claim_deadline: z.string(),
  claim_extended_at: z.string(),
});

export const PublicClaimsResponse = z.looseObject({
  giveaway_id: z.uuid(),
  claim_window: z.number().int().nullable(),
  places: z.array(
    z.looseObject({
      place: z.number().int(),
      user_id: z.number().int().nullable(),
      claim_deadline: z.string().nullable(),
      claimed_at: z.string().nullable(),
      vacant: z.boolean(),
    }),
  ),
});

export const ChannelInfoResponse = z.looseObject({
  id: z.number().int(),
  title: z.string(),
  username: z.string(),
  type: z.string(),
  avatar_url: z.string(),
  channel_url: z.string(),
  url: z.string(),
});
export const CheckBulkResponse = z.object({
  results: z.array(z.looseObject({ ok: z.boolean(), error: z.string().optional() })),
});
export const NotificationsResponse = z.looseObject({
  giveaway_id: z.uuid(),
  items: z.array(z.looseObject({ kind: z.string(), recipient_id: z.number().int(), status: z.string() })),
  summary: z.record(z.string(), z.number().int()),
});
export const PrepareMessageResponse = z.looseObject({ msg_id: z.string(), cached: z.boolean() });

export const CsvResponse = z.string().describe('text/csv; charset=utf-8, as an attachment');
export const NdjsonResponse = z.string().describe('With format=ndjson: one {"user_id","weight"} per line');

export const TonProofPayloadResponse = z.looseObject({ ton_proof: z.looseObject({ payload: z.string() }) });
export const TonProofCheckResponse = z.looseObject({ success: z.literal(true), address: z.string() });
export const HoldCheckResponse = z.looseObject({
  ok: z.boolean(),
  balance_nano: z.string().optional().describe('Nanotons or jetton base units, as decimal digits'),
  error: z.string().optional(),
  decimals: z.number().int().optional(),
  symbol: z.string().optional(),
});
export const JettonMetadataResponse = z.looseObject({
  address: z.string(),
  decimals: z.number().int(),
  symbol: z.string(),
  image: z.string().optional(),
});
