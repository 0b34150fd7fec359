// Public surface of rate limiting: limiters (Redis or memory), the Express middleware, a plain consume.
export {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
  type RateDecision,
} from './create-rate-limiter.ts';
export { consume, consumeAll, rateLimitedError } from './consume.ts';
export { rateLimit, byIp, byUser, type RateKey, type RateLimitRule } from './rate-limit-middleware.ts';
export {
  rateSpec,
  RATE_LIMIT_ENV_DEFAULTS,
  DEFAULT_RATE_LIMIT_SETTINGS,
  type RateSpec,
  type RateLimitSettings,
} from '../../config/index.ts';
export {
  createRateLimits,
  type RateLimits,
  type ActionLimit,
  type RateLimitDeps,
  type SocketLimits,
} from './rate-limits.ts';
