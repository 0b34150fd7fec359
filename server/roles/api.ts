// The api role: one Express app (ops, /api/v1, /api/public, /api/docs, /verify, /overlay, /sandbox, the
// bot webhook).
// It listens early, so health and readiness answer while the node boots, and answers 503 on the API until
// `start()` opens it; `stop()` stops accepting and drains, before the parts it uses (job queue, pools) stop.
import { Router, type Request, type RequestHandler } from 'express';
import { AppError } from '../platform/errors.ts';
import { createHttpApp, opsRoutes, type Readiness } from '../platform/http/index.ts';
import { serve, type RunningServer } from '../platform/http/serve.ts';
import { compileTrust } from '../platform/client-ip.ts';
import { defaultRealtimeUrl, overlayRoutes } from '../overlay/index.ts';
import { verifyPageRoutes } from '../verify-page/index.ts';
import { sandboxRoutes } from '../sandbox/index.ts';
import type { Services } from './services.ts';
import { apiRouters } from './api-routes.ts';
import type { Part } from './lifecycle.ts';

export interface ApiRole extends Part {
  /** Listens on the api port: ops routes answer from then on, the API answers 503 until start(). */
  listen(): Promise<void>;
  readonly port: number | undefined;
  /** The listening HTTP server (its request listener is the Express app), for the route/docs comparison. */
  readonly httpServer: RunningServer['server'] | undefined;
}

export function apiRole(
  services: Services,
  readiness: Readiness,
  realtimePort: () => number | undefined,
): ApiRole {
  const { config, logger, metrics, health } = services;
  const whenStarted: RequestHandler = (_req, _res, next) => {
    if (!readiness.started)
      throw new AppError('UNAVAILABLE', 'The server is starting; retry shortly.', undefined, 1);
    next();
  };
  const api = apiRouters(services, whenStarted);
  const runner = services.bot?.runner;
  const webhookRouter = runner?.webhookRouter();
  const webhookPath = runner?.webhookPath();
  const realtimeUrl = (req: Request) =>
    config.realtime.publicUrl ?? defaultRealtimeUrl(req, realtimePort() ?? config.realtime.port);
  const express = createHttpApp({
    logger,
    metrics,
    origin: config.http.origin,
    trustProxy: compileTrust(config.trustProxy),
    ops: opsRoutes({ health, metrics, readiness }),
    routers: [
      ...api.mounts,
      { path: '/verify', router: verifyPageRoutes({ logger }) },
      {
        path: '/overlay',
        router: overlayRoutes({
          realtimeUrl,
          publicBaseUrl: config.http.publicBaseUrl,
          logger: logger.child({ module: 'overlay' }),
        }),
      },
      // Not mounted at all when the sandbox is off: nothing under /sandbox answers but the 404.
      ...(services.sandboxSecret
        ? [{ path: '/sandbox', router: sandboxRoutes({ secret: services.sandboxSecret, realtimeUrl }) }]
        : []),
      ...(webhookRouter && webhookPath
        ? [{ path: webhookPath, router: Router().use(whenStarted, webhookRouter) }]
        : []),
    ],
  });
  let http: RunningServer | undefined;
  let closing: Promise<void> | undefined;
  return {
    name: 'api',
    get port() {
      return http?.port;
    },
    get httpServer() {
      return http?.server;
    },
    async listen() {
      http = await serve(express, config.http.port);
      logger.info({ port: http.port }, 'HTTP listening');
    },
    // Listening began in listen(); the API opens with readiness.started once every part has started.
    start: () => Promise.resolve(),
    stop() {
      closing ??= http ? http.close(config.shutdownTimeoutMs / 2) : Promise.resolve();
      return closing;
    },
  };
}
