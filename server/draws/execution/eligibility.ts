// Deciding whether one pick may win: a decision recorded by an earlier attempt stands; otherwise the user must
// still exist (winners reference users) and pass the non-custom requirements (unknown answers retried with
// backoff), and the decision is recorded before it is used, so a resumed draw reaches the same winners
// whatever Telegram says the second time.
import type pg from 'pg';
import type { RequirementsEvaluator, StoredRequirement } from '../ports/index.ts';
import { recordPickDecision, selectSubject, type PickDecision } from './execution.queries.ts';
import type { SubjectBatch } from './subject-batch.ts';

/** Published when a pick's requirements stayed undecidable through every retry (e.g. Telegram down). */
export const CHECK_UNAVAILABLE = 'check_unavailable';
/** Published when the pick's user record is gone (account deleted), so it cannot be a winner. */
export const USER_UNKNOWN = 'user_unknown';

export interface EligibilityOptions {
  pool: pg.Pool;
  evaluator: RequirementsEvaluator;
  giveawayId: string;
  requirements: StoredRequirement[];
  /** Decisions recorded by earlier attempts of this draw. */
  recorded: Map<number, PickDecision>;
  /** Waits between attempts while an answer is unknown; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  signal: AbortSignal;
  /** Looks the picks' users up together (one query for all the picks in flight) instead of one by one. */
  subjects?: SubjectBatch;
}

export async function decideEligibility(opts: EligibilityOptions, userId: number): Promise<PickDecision> {
  const known = opts.recorded.get(userId);
  if (known) return known;
  opts.signal.throwIfAborted();
  const subject = await (opts.subjects ? opts.subjects.get(userId) : selectSubject(opts.pool, userId));
  // Without requirements only existence is checked; a pass is then not worth a write per winner.
  if (subject && opts.requirements.length === 0) return { eligible: true, reason: null };
  const decision = subject
    ? await evaluateWithRetries(opts, subject)
    : { eligible: false, reason: USER_UNKNOWN };
  opts.signal.throwIfAborted();
  return recordPickDecision(opts.pool, opts.giveawayId, userId, decision);
}

/** The same decision without recording it: rerolls publish theirs in the proof bundle itself. */
export async function checkEligibility(
  opts: Omit<EligibilityOptions, 'recorded' | 'giveawayId'>,
  userId: number,
): Promise<PickDecision> {
  const subject = await selectSubject(opts.pool, userId);
  if (!subject) return { eligible: false, reason: USER_UNKNOWN };
  if (opts.requirements.length === 0) return { eligible: true, reason: null };
  return evaluateWithRetries(opts, subject);
}

async function evaluateWithRetries(
  opts: Pick<EligibilityOptions, 'evaluator' | 'requirements' | 'retryDelaysMs' | 'signal'>,
  subject: { userId: number; isPremium: boolean; walletAddress: string | null },
): Promise<PickDecision> {
  for (let attempt = 0; ; attempt++) {
    const answer = await opts.evaluator.evaluateRows(opts.requirements, subject, { skipCustom: true });
    const results = Array.isArray(answer) ? answer : answer.results;
    const failed = results.find((r) => r.result.status === 'failed');
    if (failed) return { eligible: false, reason: reasonCode(failed.result.code) };
    if (!results.some((r) => r.result.status === 'unknown')) return { eligible: true, reason: null };
    const delay = opts.retryDelaysMs[attempt];
    if (delay === undefined) return { eligible: false, reason: CHECK_UNAVAILABLE };
    await sleep(delay, opts.signal);
  }
}

/** Reason codes are public and stored under a CHECK: lowercase snake case, at most 64 characters. */
export function reasonCode(code: string): string {
  const clean = code
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return clean === '' || clean === 'ok' ? 'requirement_not_met' : clean;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
