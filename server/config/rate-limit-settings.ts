// The rate-limit settings as configured (RATE_LIMIT, RATE_LIMIT_*): their defaults and the parser of the
// `<points>/<seconds>` format. Configuration owns them; platform/rate-limit reads them (one direction).
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
  /** Channel lookups that reach the Bot API on a cache miss (check-bulk, channel info). */
  probePerUser: RateSpec;
  probePerIp: RateSpec;
  /** Concurrent Socket.IO connections one client IP may hold on one node. */
  socketMaxPerIp: number;
  /** Socket.IO handshakes one client IP may start per second (across the cluster when Redis is shared). */
  socketHandshakesPerSecPerIp: number;
}

/**
 * Env defaults. Per-IP budgets are ten times (join, probe) or six times (create) the per-user ones because mobile
 * carriers put many Telegram users behind one NAT address; the per-user limit is the precise one.
 */
export const RATE_LIMIT_ENV_DEFAULTS = {
  RATE_LIMIT: 'on',
  RATE_LIMIT_JOIN_PER_USER: '30/60',
  RATE_LIMIT_JOIN_PER_IP: '300/60',
  RATE_LIMIT_CREATE_PER_USER: '10/3600',
  RATE_LIMIT_CREATE_PER_IP: '60/3600',
  // The create screen probes a handful of channels while the creator adds the bot: 20 a minute is plenty.
  RATE_LIMIT_PROBE_PER_USER: '20/60',
  RATE_LIMIT_PROBE_PER_IP: '200/60',
  SOCKET_MAX_PER_IP: '100',
  SOCKET_HANDSHAKES_PER_SEC_PER_IP: '20',
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
  probePerUser: spec(RATE_LIMIT_ENV_DEFAULTS.RATE_LIMIT_PROBE_PER_USER),
  probePerIp: spec(RATE_LIMIT_ENV_DEFAULTS.RATE_LIMIT_PROBE_PER_IP),
  socketMaxPerIp: Number(RATE_LIMIT_ENV_DEFAULTS.SOCKET_MAX_PER_IP),
  socketHandshakesPerSecPerIp: Number(RATE_LIMIT_ENV_DEFAULTS.SOCKET_HANDSHAKES_PER_SEC_PER_IP),
};
