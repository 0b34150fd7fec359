// The Express app of the api role: request ids and access logs, CORS, JSON bodies with a size limit,
// metrics by route template, ops routes, capability routers, then the single error translation point.
import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import { serializeError, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { TrustFn } from '../client-ip.ts';
import { scrubSecrets } from '../scrub-secrets.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';

export const JSON_BODY_LIMIT = '256kb';
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface HttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  origin: string;
  /** TRUST_PROXY compiled: whose X-Forwarded-For sets `req.ip` (rate limits key on it). */
  trustProxy: TrustFn;
  ops: Router;
  /** Mounted in order after the ops routes. */
  routers: Array<{ path: string; router: Router }>;
}

export function createHttpApp(opts: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: opts.logger.child({ module: 'http' }),
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Probes and scrapes would drown the access log.
      autoLogging: { ignore: (req) => /^\/(live|ready|health|metrics)$/.test(req.url ?? '') },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: {
        // The URL without its credentials: `?init_data=` is a documented way to authenticate, and export
        // links carry their one-time token in the path. Headers are not logged at all.
        req: (req: { id: unknown; method: unknown; url: unknown }) => ({
          id: req.id,
          method: req.method,
          url: typeof req.url === 'string' ? scrubSecrets(req.url) : req.url,
        }),
        err: serializeError,
        res: (res: { statusCode: unknown }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, res, next) => {
    const end = opts.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      // The route template, not the URL: ids in paths would explode label cardinality.
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: string }).path)}` : 'unmatched';
      end({ route, status_code: String(res.statusCode) });
    });
    next();
  });
  app.use(
    cors({
      origin: opts.origin === '*' ? true : opts.origin,
      exposedHeaders: ['X-Next-Cursor', 'X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
  );
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(opts.ops);
  for (const { path, router } of opts.routers) app.use(path, router);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
