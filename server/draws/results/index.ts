// Phase 3, shared by random and manual draws: who gets which prize, and the one transaction that writes the
// winners, win records and proof bundle and completes the giveaway.
export { writeResult } from './draw-result.ts';
export { distributePrizes, type Award, type DistributablePrize } from './prize-distribution.ts';
export { deleteDrawRun, selectPrizes, type PrizeRow } from './result.queries.ts';
