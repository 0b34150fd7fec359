// Express edge of rate limiting: one point per configured limiter and request; refusal is a 429 with
// retry_after and Retry-After, written by the error middleware.
import type { Request, RequestHandler } from 'express';
import type { RateLimiter } from './create-rate-limiter.ts';
import { normalizeIp } from '../client-ip.ts';
import { consumeAll } from './consume.ts';

export type RateKey = (req: Request) => string | undefined;

export interface RateLimitRule {
  limiter: RateLimiter;
  /** undefined skips this limiter for the request (e.g. no principal on a public route). */
  key: RateKey;
}

export function rateLimit(opts: { limiters: readonly RateLimitRule[] }): RequestHandler {
  return async (req, _res, next) => {
    await consumeAll(opts.limiters.map((rule) => ({ limiter: rule.limiter, key: rule.key(req) })));
    next();
  };
}

/**
 * The authenticated Telegram user. Read structurally: platform code must not import auth, and the
 * principal is only present behind `authenticate`.
 */
export const byUser: RateKey = (req) => {
  const userId = (req as { principal?: { userId?: unknown } }).principal?.userId;
  return typeof userId === 'number' ? String(userId) : undefined;
};

/**
 * The client address as Express resolved it through the trusted proxies (app's `trust proxy`, TRUST_PROXY),
 * spelled as the socket handshake spells it, so REST and sockets draw on one budget per address.
 */
export const byIp: RateKey = (req) => (req.ip === undefined ? undefined : normalizeIp(req.ip));
