// Public surface of giveaways.
export { GiveawaysService, type ListKind } from './giveaways.service.ts';
export { giveawaysRoutes } from './giveaways.routes.ts';
export { TRANSITIONS, assertTransition, canTransition, MANUAL_WINNERS_WINDOW_MS } from './lifecycle.ts';
export type { DrawsPort, RequirementsPort } from './collaborators.ts';
