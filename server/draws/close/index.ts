// Closing and freezing (phase 1): due giveaways are closed on time and their entrants frozen and published.
export { Closing, type CloseReport, type CloseState, type ClosingDeps } from './closing.ts';
export { lockGiveaway, type DrawRunKind, type GiveawayStatus } from './close.queries.ts';
