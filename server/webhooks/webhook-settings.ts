// Delivery tuning. Only the development switches come from the environment (WEBHOOKS_*); the rest are
// product defaults that tests shrink.
import type { AddressPolicy } from './address-guard.ts';

export interface WebhookSettings extends AddressPolicy {
  /** Whole attempt, connect to last byte. */
  timeoutMs: number;
  /** More of a response than this is not read. */
  maxResponseBytes: number;
  /** A delivery is retried for this long after it was created, then marked failed. */
  retryWindowMs: number;
  /** First retry delay; doubled per attempt (with jitter) up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** An endpoint whose every attempt failed for this long is disabled. */
  disableAfterMs: number;
  rotationOverlapSec: number;
  /** The pump's poll (it is also nudged after each attempt and by the service). */
  pollMs: number;
  /** How often an idle worker node asks the job queue for delivery jobs. */
  jobPollSec: number;
  /** A queued delivery whose job stayed silent this long is claimed again (its job was lost). */
  staleSec: number;
  maxEndpointsPerKey: number;
}

const HOUR = 3_600_000;
export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowHttp: false,
  allowPrivate: false,
  timeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
  retryWindowMs: 24 * HOUR,
  backoffBaseMs: 5_000,
  backoffMaxMs: 2 * HOUR,
  disableAfterMs: 5 * 24 * HOUR,
  rotationOverlapSec: 24 * 3600,
  pollMs: 1_000,
  jobPollSec: 0.5,
  staleSec: 600,
  maxEndpointsPerKey: 20,
};

/** Delay before attempt `attempt + 1`, for `attempt` ≥ 1 failed attempts: 5 s, 10 s, 20 s … capped, ±20 %. */
export function backoffMs(
  attempt: number,
  s: Pick<WebhookSettings, 'backoffBaseMs' | 'backoffMaxMs'>,
): number {
  const raw = Math.min(s.backoffBaseMs * 2 ** Math.max(0, attempt - 1), s.backoffMaxMs);
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}
