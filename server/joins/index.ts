// Public surface of the join write path.
export { JoinBatcher, type JoinBatcherOptions } from './join-batcher.ts';
export { JoinsService, type JoinStatus, type RequirementsGate } from './joins.service.ts';
export type { JoinOutcome, JoinRequest } from './joins.queries.ts';
