// Public surface of closing and drawing, the one import point for other folders. buildDraws constructs the
// parts (commitments, closing, execution, proofs, manual winners, rerolls); each capability is its own folder
// with its own index, and the pure protocol lives in ./protocol.
export { QUICKNET } from './protocol/index.ts';
export { buildDraws, type Draws, type DrawsDeps, type DrawsOptions } from './build-draws.ts';
export {
  BeaconUnavailableError,
  DrandRelays,
  parseDrandUrls,
  verifyQuicknetSignature,
  type BeaconSource,
  type DrandRelaysOptions,
  type VerifiedBeacon,
} from './beacon/index.ts';
export {
  ClaimDeadlineSweeper,
  ClaimWindows,
  type ClaimDeadlineSweeperOptions,
  type ExpiryReport,
} from './claims/index.ts';
export type {
  WebhookPublisher,
  DrawPrincipal,
  JobEnqueuer,
  JobName,
  RequirementsEvaluator,
  StoredRequirement,
} from './ports/index.ts';
export { createCommitment, type BeaconChoice, type Commitment } from './commitment/index.ts';
export { type CloseReport, type CloseState } from './close/index.ts';
export { freezeEntrantRows } from './entrants/index.ts';
export {
  CHECK_UNAVAILABLE,
  DrawScheduler,
  USER_UNKNOWN,
  type CloseOutcome,
  type DrawReport,
  type DrawSchedulerOptions,
  type SchedulerStep,
} from './execution/index.ts';
export { distributePrizes, type Award, type DistributablePrize } from './results/index.ts';
export { drawsHandlers, type DrawRoutesService, type DrawsOperationId } from './draws.routes.ts';
export { publicDrawsHandlers, type PublicDrawsOperationId } from './public-draws.routes.ts';
