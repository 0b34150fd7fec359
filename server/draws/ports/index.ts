// Ports: what draws needs from other capabilities, as small structural interfaces: the requirement evaluator
// (server/requirements) and the job queue (pg-boss), so nothing here imports their unfinished code.
import type * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';

/** A requirement row as zapatos shortcuts return it (the same type server/requirements checks). */
export type StoredRequirement = s.requirements.JSONSelectable;

export type RequirementStatus = 'passed' | 'failed' | 'unknown';

export type EvaluatedRows = Array<{
  requirement: StoredRequirement;
  result: { status: RequirementStatus; code: string; reason: string };
}>;

/**
 * server/requirements' RequirementsService satisfies this: its evaluateRows answers `{ results, allMet,
 * unknown }`; a bare array of results is accepted too.
 */
export interface RequirementsEvaluator {
  evaluateRows(
    requirements: StoredRequirement[],
    subject: { userId: number; isPremium: boolean; walletAddress: string | null },
    options?: { skipCustom?: boolean },
  ): Promise<EvaluatedRows | { results: EvaluatedRows }>;
}

export type JobName = 'notify-winner' | 'notify-creator';

export interface JobEnqueuer {
  /** Writes the job through `tx`, so it commits or rolls back with the state change that caused it. */
  enqueue(
    tx: db.Queryable,
    name: JobName,
    data: object,
    options?: { singletonKey?: string },
  ): Promise<string | null>;
  /** Many jobs of one queue in one statement, with enqueue()'s rules. */
  enqueueMany(
    tx: db.Queryable,
    name: JobName,
    jobs: ReadonlyArray<{ data: object; singletonKey?: string }>,
  ): Promise<void>;
}

/** The caller of an owner action (a structural subset of server/auth's Principal). */
export interface DrawPrincipal {
  userId: number;
  isAdmin: boolean;
}

/** The webhook events services publish themselves (server/webhooks' publishWebhookEvent satisfies this). */
export type WebhookPublisher = (
  tx: db.Queryable,
  type: 'giveaway.winner_changed' | 'giveaway.claimed',
  payload: { giveaway_id: string } & Record<string, unknown>,
) => Promise<void>;
