// The one place a refused budget becomes RATE_LIMITED, shared by HTTP, sockets and the bot.
import { AppError } from '../errors.ts';
import type { RateDecision, RateLimiter } from './create-rate-limiter.ts';

export function rateLimitedError(retryAfterSec: number): AppError {
  return new AppError('RATE_LIMITED', 'Too many requests', undefined, retryAfterSec);
}

/** Takes one point from `key` or throws RATE_LIMITED with retry_after (seconds). */
export async function consume(limiter: RateLimiter, key: string, points = 1): Promise<RateDecision> {
  const decision = await limiter.consume(key, points);
  if (!decision.allowed) throw rateLimitedError(decision.retryAfterSec);
  return decision;
}

/**
 * Takes a point from every (limiter, key) pair, all of them even when one refuses (an abuser throttled as a
 * user still spends the budget of their IP), and throws with the longest wait. Undefined keys are skipped.
 */
export async function consumeAll(
  pairs: ReadonlyArray<{ limiter: RateLimiter; key: string | undefined }>,
): Promise<void> {
  const decisions = await Promise.all(
    pairs.flatMap(({ limiter, key }) => (key === undefined ? [] : [limiter.consume(key)])),
  );
  const refused = decisions.filter((d) => !d.allowed);
  if (refused.length > 0) throw rateLimitedError(Math.max(...refused.map((d) => d.retryAfterSec)));
}
