// The zod side of each operation in ./routes.ts: params, query, body, every response, and the error codes it
// may answer with. Keyed by operation id; `satisfies Record<OperationId, …>` makes a missing or extra entry a
// type error. The server validates requests with these; /api/docs is generated from them.
import { z } from 'zod';
import {
  DrawGiveawayParams,
  EntrantsPage,
  ExtendClaimBody,
  ExtendClaimParams,
  EntrantsQuery,
  InclusionParams,
  InclusionProofResponse,
  InclusionQuery,
  ManualCandidatesResponse,
  PreviewFields,
  ProofBundleResponse,
  RerollBody,
  RerollParams,
} from '../draws.ts';
import type { ErrorCode } from '../errors.ts';
import { ExportLinkResponse, ExportToken } from '../exports.ts';
import {
  CreateGiveawayBody,
  GiveawayIdParam,
  ListQuery,
  StatusBody,
  TicketsBody,
  UpdateGiveawayBody,
} from '../giveaways.ts';
import { AvatarChatParam, ChannelUsernameParam, CheckBulkBody } from '../telegram.ts';
import { CheckProofBody, HoldJettonCheckBody, HoldTonCheckBody } from '../ton.ts';
import {
  CreateWebhookBody,
  WebhookDeliveriesQuery,
  WebhookDeliveryLogResponse,
  WebhookDeliveryParams,
  WebhookEnabledBody,
  WebhookEndpointListResponse,
  WebhookEndpointResponse,
  WebhookEndpointWithSecretResponse,
  WebhookIdParam,
} from '../webhooks.ts';
import { lineText } from '../text.ts';
import * as R from './responses.ts';
import type { OperationId } from './routes.ts';

export interface OperationResponse {
  description: string;
  schema?: z.ZodType;
  /** application/json unless given. */
  contentType?: string;
}

export interface OperationSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /**
   * json (default): validated before the handler, a missing body read as `{}` when `bodyOptional`.
   * upload: multipart/form-data or text/plain, read and checked by the handler (the schema documents the form).
   */
  bodyKind?: 'json' | 'upload';
  bodyOptional?: boolean;
  responses: Record<number, OperationResponse>;
  errors: readonly ErrorCode[];
}

const json = (description: string, schema: z.ZodType): OperationResponse => ({ description, schema });
const noContent: OperationResponse = { description: 'No content' };

// Every /api/v1 operation may answer these (authentication, bans on mutations, bad input, start-up).
const USER = [
  'VALIDATION',
  'UNAUTHORIZED',
  'INIT_DATA_INVALID',
  'INIT_DATA_EXPIRED',
  'API_KEY_INVALID',
] as const;
const MUTATION = [...USER, 'USER_BANNED', 'FORBIDDEN', 'NOT_FOUND'] as const;
const PUBLIC = ['VALIDATION', 'NOT_FOUND', 'UNAVAILABLE'] as const;

const UserIdParam = z.object({ id: z.coerce.number().int().positive() });
const UserStatusBody = z.object({ status: z.enum(['active', 'banned']) });
const ApiKeyBody = z.object({ name: lineText(100) });
const ApiKeyIdParam = z.object({ id: z.uuid() });
const CreatorParam = z.object({ creator_id: z.coerce.number().int().positive() });
const TokenParam = z.object({ token: ExportToken });
const JettonAddressParam = z.object({ address: z.string().trim().min(1).max(100) });
const UploadForm = z.object({
  file: z.string().describe('The winners list (one user id or @username per line); ≤ 1 MB'),
});

const list = {
  query: ListQuery,
  responses: { 200: json('Giveaways; the next page cursor in X-Next-Cursor', R.GiveawayListResponse) },
  errors: USER,
} as const;
const creatorList = { ...list, params: CreatorParam } as const;

export const OPERATION_SCHEMAS = {
  getMe: { responses: { 200: json('The caller', R.UserResponse) }, errors: USER },
  setUserStatus: {
    params: UserIdParam,
    body: UserStatusBody,
    responses: { 200: json('The user', R.UserStatusResponse) },
    errors: MUTATION,
  },
  createApiKey: {
    body: ApiKeyBody,
    bodyOptional: true,
    responses: { 201: json('The key, with its secret (shown once)', R.CreatedApiKeyResponse) },
    errors: MUTATION,
  },
  listApiKeys: { responses: { 200: json('Keys without secrets', z.array(R.ApiKeyResponse)) }, errors: USER },
  revokeApiKey: { params: ApiKeyIdParam, responses: { 204: noContent }, errors: MUTATION },

  downloadWinnersCsv: {
    params: GiveawayIdParam,
    responses: { 200: { description: 'Winners CSV', schema: R.CsvResponse, contentType: 'text/csv' } },
    errors: [...USER, 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
  },
  createExportLink: {
    params: GiveawayIdParam,
    responses: { 200: json('A one-time download URL', ExportLinkResponse) },
    errors: [...USER, 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNAVAILABLE'],
  },

  previewManualCandidates: {
    body: UploadForm.extend(PreviewFields.shape),
    bodyKind: 'upload',
    responses: { 200: json('Each line resolved', ManualCandidatesResponse) },
    errors: [...MUTATION, 'PAYLOAD_TOO_LARGE'],
  },
  getProof: {
    params: DrawGiveawayParams,
    responses: { 200: json('The proof bundle', ProofBundleResponse) },
    errors: [...USER, 'NOT_FOUND', 'CONFLICT'],
  },
  listEntrants: {
    params: DrawGiveawayParams,
    query: EntrantsQuery,
    responses: {
      200: {
        description: 'A keyset page (X-Next-Cursor), or with format=ndjson the whole list streamed',
        schema: EntrantsPage,
      },
    },
    errors: [...USER, 'NOT_FOUND', 'CONFLICT'],
  },
  getInclusionProof: {
    params: DrawGiveawayParams,
    query: InclusionQuery,
    responses: { 200: json('The Merkle path', InclusionProofResponse) },
    errors: [...USER, 'NOT_FOUND', 'CONFLICT'],
  },
  getInclusion: {
    params: InclusionParams,
    responses: { 200: json('The Merkle path', InclusionProofResponse) },
    errors: [...USER, 'NOT_FOUND', 'CONFLICT'],
  },
  rerollWinner: {
    params: RerollParams,
    body: RerollBody,
    bodyOptional: true,
    responses: { 200: json('Who holds each place now', R.RerollResponse) },
    errors: [...MUTATION, 'CONFLICT'],
  },
  claimGiveaway: {
    params: DrawGiveawayParams,
    responses: { 200: json('claimed, or already claimed', R.ClaimResponse) },
    errors: [...MUTATION, 'CONFLICT'],
  },
  extendClaim: {
    params: ExtendClaimParams,
    body: ExtendClaimBody,
    bodyOptional: true,
    responses: { 200: json('The new deadline', R.ExtendClaimResponse) },
    errors: [...MUTATION, 'CONFLICT'],
  },
  uploadManualCandidates: {
    params: DrawGiveawayParams,
    body: UploadForm,
    bodyKind: 'upload',
    responses: { 200: json('Each line resolved', ManualCandidatesResponse) },
    errors: [...MUTATION, 'CONFLICT', 'PAYLOAD_TOO_LARGE'],
  },
  listLoadedWinners: {
    params: DrawGiveawayParams,
    responses: { 200: json('The loaded winners', ManualCandidatesResponse) },
    errors: [...USER, 'FORBIDDEN', 'NOT_FOUND'],
  },
  clearLoadedWinners: {
    params: DrawGiveawayParams,
    responses: { 204: noContent },
    errors: [...MUTATION, 'CONFLICT'],
  },

  listMyChannels: { responses: { 200: json('Channels', z.array(R.ChannelInfoResponse)) }, errors: USER },
  checkChannelsBulk: {
    body: CheckBulkBody,
    bodyOptional: true,
    responses: { 200: json('One result per channel', R.CheckBulkResponse) },
    errors: [...USER, 'RATE_LIMITED', 'UNAVAILABLE'],
  },
  getChannelInfo: {
    params: ChannelUsernameParam,
    responses: { 200: json('The channel', R.ChannelInfoResponse) },
    errors: [...USER, 'NOT_FOUND', 'RATE_LIMITED', 'UNAVAILABLE'],
  },
  listNotifications: {
    params: GiveawayIdParam,
    responses: { 200: json('Delivery status', R.NotificationsResponse) },
    errors: [...USER, 'FORBIDDEN', 'NOT_FOUND'],
  },
  prepareShareMessage: {
    params: GiveawayIdParam,
    responses: { 200: json('The prepared message id', R.PrepareMessageResponse) },
    errors: [...MUTATION, 'UNAVAILABLE'],
  },

  listRequirementTemplates: { responses: { 200: json('Templates', R.TemplatesResponse) }, errors: USER },
  listPrizeTemplates: { responses: { 200: json('Templates', R.TemplatesResponse) }, errors: USER },

  createGiveaway: {
    body: CreateGiveawayBody,
    responses: { 201: json('The giveaway', R.GiveawayResponse) },
    errors: [...MUTATION, 'UNSUPPORTED', 'RATE_LIMITED', 'UNAVAILABLE'],
  },
  listGiveaways: list,
  listMyGiveaways: list,
  listMyActiveGiveaways: list,
  listMyFinishedGiveaways: list,
  listMyParticipations: list,
  listMyParticipationHistory: list,
  listCreatorGiveaways: creatorList,
  listCreatorFinishedGiveaways: creatorList,
  getGiveaway: {
    params: GiveawayIdParam,
    responses: { 200: json('The giveaway', R.GiveawayResponse) },
    errors: [...USER, 'NOT_FOUND'],
  },
  updateGiveaway: {
    params: GiveawayIdParam,
    body: UpdateGiveawayBody,
    responses: { 200: json('The giveaway', R.GiveawayResponse) },
    errors: [...MUTATION, 'CONFLICT'],
  },
  deleteGiveaway: {
    params: GiveawayIdParam,
    responses: { 204: noContent },
    errors: [...MUTATION, 'CONFLICT'],
  },
  setGiveawayStatus: {
    params: GiveawayIdParam,
    body: StatusBody,
    responses: { 200: json('The giveaway', R.GiveawayResponse) },
    errors: [...MUTATION, 'INVALID_TRANSITION'],
  },
  cancelGiveaway: {
    params: GiveawayIdParam,
    responses: { 200: json('The giveaway', R.GiveawayResponse) },
    errors: [...MUTATION, 'INVALID_TRANSITION'],
  },
  recreateGiveaway: {
    params: GiveawayIdParam,
    responses: { 201: json('The new giveaway', R.GiveawayResponse) },
    errors: MUTATION,
  },
  joinGiveaway: {
    params: GiveawayIdParam,
    responses: { 200: json('joined, or already joined', R.JoinResponse) },
    errors: [
      ...MUTATION,
      'GIVEAWAY_CLOSED',
      'GIVEAWAY_FULL',
      'REQUIREMENTS_NOT_MET',
      'REQUIREMENTS_UNKNOWN',
      'RATE_LIMITED',
    ],
  },
  addTickets: {
    params: GiveawayIdParam,
    body: TicketsBody,
    responses: { 200: json('The participant', z.looseObject({})) },
    errors: [...MUTATION, 'CONFLICT'],
  },
  checkRequirements: {
    params: GiveawayIdParam,
    responses: { 200: json("The caller's standing", R.RequirementCheckResponse) },
    errors: [...USER, 'NOT_FOUND', 'REQUIREMENTS_UNKNOWN'],
  },

  generateTonProofPayload: {
    responses: { 200: json('The payload to put in the TON Connect request', R.TonProofPayloadResponse) },
    errors: MUTATION,
  },
  checkTonProof: {
    body: CheckProofBody,
    responses: { 200: json('The wallet, now linked to the caller', R.TonProofCheckResponse) },
    errors: [...MUTATION, 'CONFLICT', 'UNAVAILABLE'],
  },
  unlinkWallet: { responses: { 204: noContent }, errors: MUTATION },
  checkHoldTon: {
    body: HoldTonCheckBody,
    responses: { 200: json("The caller's balance against the minimum", R.HoldCheckResponse) },
    errors: [...USER, 'UNAVAILABLE'],
  },
  checkHoldJetton: {
    body: HoldJettonCheckBody,
    responses: { 200: json("The caller's jetton balance against the minimum", R.HoldCheckResponse) },
    errors: [...USER, 'NOT_FOUND', 'UNAVAILABLE'],
  },
  getJettonMetadata: {
    params: JettonAddressParam,
    responses: { 200: json('The jetton', R.JettonMetadataResponse) },
    errors: [...USER, 'NOT_FOUND', 'UNAVAILABLE'],
  },

  createWebhook: {
    body: CreateWebhookBody,
    responses: { 201: json('The endpoint and its signing secret', WebhookEndpointWithSecretResponse) },
    errors: [...MUTATION, 'CONFLICT'],
  },
  listWebhooks: {
    responses: { 200: json('The endpoints', WebhookEndpointListResponse) },
    errors: [...USER, 'FORBIDDEN'],
  },
  getWebhook: {
    params: WebhookIdParam,
    responses: { 200: json('The endpoint', WebhookEndpointResponse) },
    errors: [...USER, 'FORBIDDEN', 'NOT_FOUND'],
  },
  deleteWebhook: { params: WebhookIdParam, responses: { 204: noContent }, errors: MUTATION },
  rotateWebhookSecret: {
    params: WebhookIdParam,
    responses: { 200: json('The endpoint and its new secret', WebhookEndpointWithSecretResponse) },
    errors: MUTATION,
  },
  setWebhookEnabled: {
    params: WebhookIdParam,
    body: WebhookEnabledBody,
    responses: { 200: json('The endpoint', WebhookEndpointResponse) },
    errors: MUTATION,
  },
  listWebhookDeliveries: {
    params: WebhookIdParam,
    query: WebhookDeliveriesQuery,
    responses: { 200: json('A page of deliveries, newest first', WebhookDeliveryLogResponse) },
    errors: [...USER, 'FORBIDDEN', 'NOT_FOUND'],
  },
  redeliverWebhook: {
    params: WebhookDeliveryParams,
    responses: { 202: json('Queued', z.looseObject({ ok: z.literal(true) })) },
    errors: MUTATION,
  },

  peekExport: {
    params: TokenParam,
    responses: { 200: { description: 'The CSV headers, the link unspent', contentType: 'text/csv' } },
    errors: PUBLIC,
  },
  redeemExport: {
    params: TokenParam,
    responses: {
      200: { description: 'The CSV (link spent)', schema: R.CsvResponse, contentType: 'text/csv' },
    },
    errors: PUBLIC,
  },
  getPublicCommitment: {
    params: DrawGiveawayParams,
    responses: { 200: json('The commitment', R.CommitmentResponse) },
    errors: PUBLIC,
  },
  getPublicProof: {
    params: DrawGiveawayParams,
    responses: { 200: json('The proof bundle', ProofBundleResponse) },
    errors: [...PUBLIC, 'CONFLICT'],
  },
  listPublicEntrants: {
    params: DrawGiveawayParams,
    query: EntrantsQuery,
    responses: { 200: { description: 'A keyset page or NDJSON', schema: EntrantsPage } },
    errors: [...PUBLIC, 'CONFLICT'],
  },
  getPublicClaims: {
    params: DrawGiveawayParams,
    responses: { 200: json('Each place now', R.PublicClaimsResponse) },
    errors: PUBLIC,
  },
  getPublicInclusion: {
    params: InclusionParams,
    responses: { 200: json('The Merkle path', InclusionProofResponse) },
    errors: [...PUBLIC, 'CONFLICT'],
  },
  getChannelAvatar: {
    params: AvatarChatParam,
    responses: {
      200: { description: 'The image', contentType: 'image/jpeg' },
      304: { description: 'Not modified (If-None-Match)' },
    },
    errors: PUBLIC,
  },
} as const satisfies Record<OperationId, OperationSchemas>;

export type OperationSchemaTable = typeof OPERATION_SCHEMAS;
