// Claim windows: claims, one extension per holder, and the deadline scan that passes an unclaimed place to the
// next reserve of the published proof (or leaves it empty), with the events every change publishes.
export {
  ClaimWindows,
  type ClaimWindowsDeps,
  type ExpiryOutcome,
  type ExpiryReport,
} from './claim-windows.service.ts';
export { ClaimDeadlineSweeper, type ClaimDeadlineSweeperOptions } from './deadline-sweeper.ts';
export { nextReserve, unclaimedReroll } from './next-reserve.ts';
export { noWebhooks, recordPlaceChange, type PlaceChange } from './place-events.ts';
