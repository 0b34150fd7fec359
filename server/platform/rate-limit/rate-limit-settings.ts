// The rate-limit settings as configured (RATE_LIMIT, RATE_LIMIT_*): their defaults and the parser of the
// `<points>/<seconds>` format. Kept free of runtime imports so server/config can use it.
import { z } from 'zod';

export interface RateSpec {
  points: number;
  durationSec: number;
}

export interface RateLimitSettings {
  enabled: boolean;
  joinPerUser: RateSpec;
  joinPerIp: RateSpec;
  createPerUser: RateSpec;
  createPerIp: RateSpec;
}

/**
 * Env defaults. Per-IP budgets are ten times (join) or six times (create) the per-user ones because mobile
 * carriers put many Telegram users behind one NAT address; the per-user limit is the precise one.
 */
export const RATE_LIMIT_ENV_DEFAULTS = {
  RATE_LIMIT: 'on',
  RATE_LIMIT_JOIN_PER_USER: '30/60',
  RATE_LIMIT_JOIN_PER_IP: '300/60',
  RATE_LIMIT_CREATE_PER_USER: '10/3600',
  RATE_LIMIT_CREATE_PER_IP: '60/3600',
} as const;

const SPEC = /^(\d{1,9})\s*\/\s*(\d{1,9})$/;

/** `<points>/<seconds>`, both at least 1: `30/60` is 30 actions per 60 s. */
export const rateSpec = z.string().transform((raw, ctx): RateSpec => {
  const m = SPEC.exec(raw.trim());
  const points = Number(m?.[1]);
  const durationSec = Number(m?.[2]);
  if (!m || points < 1 || durationSec < 1) {
    ctx.addIssue({ code: 'custom', message: 'must be <points>/<seconds> with both at least 1, e.g. 30/60' });
    return z.NEVER;
  }
  return { points, durationSec };
});

const spec = (raw: string): RateSpec => rateSpec.parse(raw);

export const DEFAULT_RATE_LIMIT_SETTINGS: RateLimitSettings = {
  enabled: true,
  joinPerUser: spec(RATE_LIMIT_ENV_DEFAULTS.RATE_LIMIT_JOIN_PER_USER),
  joinPerIp: spec(RATE_LIMIT_ENV_DEFAULTS.RATE_LIMIT_JOIN_PER_IP),
  createPerUser: spec(RATE_LIMIT_ENV_DEFAULTS.RATE_LIMIT_CREATE_PER_USER),
  createPerIp: spec(RATE_LIMIT_ENV_DEFAULTS.RATE_LIMIT_CREATE_PER_IP),
};
