// The closed list of durable job queues and the retry policy of each. A queue exists in PostgreSQL only
// once JobQueue.start() created it, so adding a kind of side effect means adding a row here.
import type PgBoss from 'pg-boss';

export const JOB_QUEUES = ['notify-winner', 'notify-creator', 'post-results', 'webhook-deliver'] as const;
export type JobName = (typeof JOB_QUEUES)[number];

/** Where a job lands after its last failed attempt: kept for operators, never worked automatically. */
export type DeadLetterName = `${JobName}-dead`;
export const deadLetterOf = (name: JobName): DeadLetterName => `${name}-dead`;

export interface RetryPolicy {
  /** Attempts after the first one. */
  limit: number;
  /** Seconds before the first retry; with backoff, doubled (plus jitter) on each further retry. */
  delaySec: number;
  backoff: boolean;
}

/**
 * Telegram answers 429 with retry_after of seconds to minutes and a blocked bot stays blocked, so 8 retries
 * from 5 s with exponential backoff spread over roughly 20–40 minutes before a job is dead-lettered.
 */
export const DEFAULT_RETRY: RetryPolicy = { limit: 8, delaySec: 5, backoff: true };

/**
 * A handler slower than this is failed by pg-boss and retried, possibly while still running, so keep it well
 * above any single Telegram call (which we time out much sooner).
 */
const EXPIRE_IN_SECONDS = 300;

export function queueOptions(name: JobName, retry: RetryPolicy): PgBoss.Queue {
  return {
    name,
    policy: 'standard',
    retryLimit: retry.limit,
    retryDelay: retry.delaySec,
    retryBackoff: retry.backoff,
    expireInSeconds: EXPIRE_IN_SECONDS,
    deadLetter: deadLetterOf(name),
  };
}

export function isJobName(value: string): value is JobName {
  return (JOB_QUEUES as readonly string[]).includes(value);
}
