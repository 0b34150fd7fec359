// Public surface of closing and drawing. The pure protocol lives in ./protocol (its own index).
export { createCommitment, type BeaconChoice, type Commitment } from './commitment.ts';
export {
  BeaconUnavailableError,
  DrandRelays,
  parseDrandUrls,
  type BeaconSource,
  type DrandRelaysOptions,
  type VerifiedBeacon,
} from './drand-relays.ts';
export { verifyQuicknetSignature } from './beacon-verifier.ts';
export { publicDrawsRoutes } from './public-draws.routes.ts';
export type {
  DrawPrincipal,
  JobEnqueuer,
  JobName,
  RequirementsEvaluator,
  StoredRequirement,
} from './collaborators.ts';
export {
  DrawService,
  type CloseOutcome,
  type CloseReport,
  type DrawReport,
  type DrawServiceDeps,
  type DrawServiceOptions,
} from './draws.service.ts';
export { DrawScheduler, type DrawSchedulerOptions, type SchedulableDraws } from './scheduler.ts';
export { drawsRoutes, type DrawRoutesService } from './draws.routes.ts';
export { distributePrizes, type Award, type DistributablePrize } from './prize-distribution.ts';
export { CHECK_UNAVAILABLE, USER_UNKNOWN } from './eligibility.ts';

import type { DrawService } from './draws.service.ts';
/** What the giveaways capability needs for PATCH /giveaways/:id/status {"status":"completed"}. */
export type ManualWinnersFinalizer = Pick<DrawService, 'finalizeManual'>;
