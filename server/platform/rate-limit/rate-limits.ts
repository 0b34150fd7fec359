// The app's rate-limited actions (join, create, probe), built once from RateLimitSettings: an Express middleware
// and a plain consume for sockets and the bot, each taking one point per user and one per IP.
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { consumeAll } from './consume.ts';
import { createRateLimiter, type RateLimiter } from './create-rate-limiter.ts';
import { byIp, byUser, rateLimit } from './rate-limit-middleware.ts';
import type { RateLimitSettings, RateSpec } from '../../config/index.ts';

export interface ActionLimit {
  /** Mount after `authenticate`, so the per-user key exists. */
  middleware: RequestHandler;
  /** For callers without an Express request; a missing userId or ip skips that budget. */
  consume(who: { userId?: number; ip?: string }): Promise<void>;
}

/** Per-IP caps on Socket.IO connections (the realtime server applies them at the handshake). */
export interface SocketLimits {
  maxPerIp: number;
  /** One point per handshake, keyed by client IP, over one second. */
  handshakes: RateLimiter;
}

export interface RateLimits {
  enabled: boolean;
  join: ActionLimit;
  create: ActionLimit;
  /** Channel lookups that may reach the Bot API (check-bulk, channel info). */
  probe: ActionLimit;
  /** undefined with RATE_LIMIT=off: no caps. */
  socket: SocketLimits | undefined;
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
  if (!settings.enabled) {
    return { enabled: false, join: passThrough, create: passThrough, probe: passThrough, socket: undefined };
  }
  return {
    enabled: true,
    join: actionLimit('join', settings.joinPerUser, settings.joinPerIp, deps),
    create: actionLimit('create', settings.createPerUser, settings.createPerIp, deps),
    probe: actionLimit('probe', settings.probePerUser, settings.probePerIp, deps),
    socket: {
      maxPerIp: settings.socketMaxPerIp,
      handshakes: createRateLimiter({
        ...deps,
        name: 'socket-handshake-ip',
        points: settings.socketHandshakesPerSecPerIp,
        durationSec: 1,
      }),
    },
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
