// @giveaway/client-sdk: typed REST + realtime client of the giveaway server and an independent draw verifier.
// It re-exports the wire contract's types and error codes (never zod, never server code).
export { createClient, type ClientOptions, type GiveawayClient } from './client.ts';
export { GiveawayError, type GiveawayErrorInit } from './errors.ts';
export type { AuthOption, Credential } from './auth.ts';
export type { Page, Paginated } from './paginate.ts';
export type { GiveawaysApi, ListOptions } from './rest/giveaways.ts';
export type { CandidateList, DrawsApi } from './rest/draws.ts';
export type { ApiKeysApi, ExportsApi, TemplatesApi, UsersApi } from './rest/account.ts';
export type { ChannelsApi } from './rest/channels.ts';
export type { ConnectionState } from './realtime/connection.ts';
export type { Subscription, SnapshotReason, WatchHandlers, WatchState } from './realtime/watch.ts';
export type { JoinOptions } from './realtime/join.ts';
export { verifyDraw, type DrawBundle, type VerifyDrawOptions } from './verify/verify-draw.ts';
export type { PlaceChain, VerifyReport, VerifyStep, VerifyStepName } from './verify/report.ts';
export { verifyInclusion, type InclusionProof } from './verify/inclusion.ts';
export { QUICKNET, fetchDrandBeacon, verifyQuicknetSignature, type BeaconRound } from './verify/beacon.ts';
export type { EntrantInput } from './verify/entrants.ts';
export type { JsonUserId } from './verify/bytes.ts';
export type * from './types.ts';
export type * from './contract.ts';
export { ERROR_CODES, ERROR_CODE_LIST } from './contract.ts';
