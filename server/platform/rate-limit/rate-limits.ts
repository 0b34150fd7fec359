// The app's rate-limited actions (join, create), built once from RateLimitSettings: an Express middleware
// and a plain consume for sockets and the bot, each taking one point per user and one per IP.
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { consumeAll } from './consume.ts';
import { createRateLimiter, type RateLimiter } from './create-rate-limiter.ts';
import { byIp, byUser, rateLimit } from './rate-limit-middleware.ts';
import type { RateLimitSettings, RateSpec } from './rate-limit-settings.ts';

export interface ActionLimit {
  /** Mount after `authenticate`, so the per-user key exists. */
  middleware: RequestHandler;
  /** For callers without an Express request; a missing userId or ip skips that budget. */
  consume(who: { userId?: number; ip?: string }): Promise<void>;
}

export interface RateLimits {
  enabled: boolean;
  join: ActionLimit;
  create: ActionLimit;
}

export interface RateLimitDeps {
  redis: Redis | null;
  keyPrefix: string;
  logger?: Logger;
}

const passThrough: ActionLimit = {
  middleware: (_req, _res, next) => next(),
  consume: () => Promise.resolve(),
};

export function createRateLimits(settings: RateLimitSettings, deps: RateLimitDeps): RateLimits {
  if (!settings.enabled) return { enabled: false, join: passThrough, create: passThrough };
  return {
    enabled: true,
    join: actionLimit('join', settings.joinPerUser, settings.joinPerIp, deps),
    create: actionLimit('create', settings.createPerUser, settings.createPerIp, deps),
  };
}

function actionLimit(action: string, perUser: RateSpec, perIp: RateSpec, deps: RateLimitDeps): ActionLimit {
  const make = (scope: string, spec: RateSpec): RateLimiter =>
    createRateLimiter({
      ...deps,
      name: `${action}-${scope}`,
      points: spec.points,
      durationSec: spec.durationSec,
    });
  const user = make('user', perUser);
  const ip = make('ip', perIp);
  return {
    middleware: rateLimit({
      limiters: [
        { limiter: user, key: byUser },
        { limiter: ip, key: byIp },
      ],
    }),
    consume: (who) =>
      consumeAll([
        { limiter: user, key: who.userId === undefined ? undefined : String(who.userId) },
        { limiter: ip, key: who.ip },
      ]),
  };
}
