// Public surface of giveaways.
export { GiveawaysService, type ListKind } from './giveaways.service.ts';
export {
  giveawaysHandlers,
  type GiveawaysHandlersDeps,
  type GiveawaysOperationId,
} from './giveaways.routes.ts';
export { TRANSITIONS, assertTransition, canTransition, MANUAL_WINNERS_WINDOW_MS } from './lifecycle.ts';
export { SnapshotCache } from './snapshot-cache.ts';
export {
  giveawaySocketHandlers,
  type GiveawaySocketHandlers,
  type GiveawaysSocketDeps,
} from './giveaways.socket.ts';
export type { DrawsPort, RequirementsPort } from './collaborators.ts';
