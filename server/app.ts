// Composition root: createApp(config) builds every part once and returns {start, whenReady, stop}.
// main.ts, tests and benches all use it, so what runs in production is what the tests exercise.
import type { Config } from './config/index.ts';
import { describeConfig } from './config/index.ts';
import {
  createLogger,
  createMetrics,
  createRedis,
  HealthChecker,
  retryUntil,
  toAppError,
  type Logger,
  type Redis,
} from './platform/index.ts';
import { openDatabase, pendingMigrations, runMigrations, type Database } from './platform/db/index.ts';
import { createHttpApp, opsRoutes, type Readiness } from './platform/http/index.ts';
import { AppError } from './platform/errors.ts';
import { Router, type RequestHandler } from 'express';
import { AuthService, authenticate, authRoutes } from './auth/index.ts';
import { DrandRelays, DrawScheduler, DrawService, drawsRoutes, publicDrawsRoutes } from './draws/index.ts';
import { verifyPageRoutes } from './verify-page/index.ts';
import { GiveawaysService, giveawaysRoutes } from './giveaways/index.ts';
import { JoinBatcher, JoinsService } from './joins/index.ts';
import { RequirementsService, requirementsRoutes } from './requirements/index.ts';
import { REST_OPERATIONS } from '../schema/contract/index.ts';
import { buildOpenApi } from './platform/http/openapi.ts';
import { hostname } from 'node:os';
import { ChangeRelay, Presence } from './relay/index.ts';
import { createTelegramFeatures } from './bot/index.ts';
import { defaultRealtimeUrl, overlayRoutes } from './overlay/index.ts';
import {
  createAdapter,
  startRealtimeServer,
  type RealtimeIo,
  type RealtimeServer,
} from './platform/realtime/index.ts';
import { registerGiveawaySocket } from './giveaways/giveaways.socket.ts';
import { SnapshotCache } from './giveaways/snapshot-cache.ts';
import { socketAuth } from './auth/index.ts';
import { JobQueue } from './platform/jobs/index.ts';
import { createRateLimits } from './platform/rate-limit/index.ts';
import { ExportsService, exportsRoutes, publicExportRoutes } from './exports/index.ts';
import { serve, type RunningServer } from './platform/http/serve.ts';

export interface AppOptions {
  logger?: Logger;
  /** Application name reported to PostgreSQL (pg_stat_activity). */
  name?: string;
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  /** Opens the database, listens on the api port. Resolves once listening; ops routes answer from then on. */
  start(): Promise<void>;
  /** Resolves when migrations ran and every role started; rejects on a fatal boot error. */
  whenReady(): Promise<void>;
  /** Graceful: stop accepting, drain, stop roles, close pools. Idempotent. */
  stop(): Promise<void>;
  readonly httpPort: number;
  /** The Socket.IO port (realtime role), known once whenReady() resolved. */
  readonly realtimePort: number;
  /** The Socket.IO server (realtime role), for the relay and for tests. */
  readonly io: RealtimeIo | undefined;
  readonly db: Database;
  readonly redis: Redis | null;
}

/** The OpenAPI document, built once on first request. */
function docsRouter() {
  let doc: object | undefined;
  return Router().get('/', (_req, res) => {
    doc ??= buildOpenApi(REST_OPERATIONS, { version: '1' });
    res.json(doc);
  });
}

export function createApp(config: Config, options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger(config.logLevel);
  const name = options.name ?? 'giveaway-server';
  const metrics = createMetrics();
  const readiness: Readiness = { started: false, draining: false };
  const aborter = new AbortController();
  const redis = config.redis ? createRedis(config.redis, logger, `${name}:main`) : null;

  let db: Database | undefined;
  let http: RunningServer | undefined;
  let realtime: RealtimeServer | undefined;
  /** Roles that need the migrated schema start here, after bootstrap. */
  const afterMigrations: Array<() => Promise<void>> = [];
  let ready: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  const stopHooks: Array<() => Promise<void>> = [];

  async function bootstrap(database: Database): Promise<void> {
    const retryable = (err: unknown) => toAppError(err).code === 'UNAVAILABLE';
    const onRetry = (err: unknown, delayMs: number) =>
      logger.warn({ err: (err as Error).message, delayMs }, 'PostgreSQL not reachable yet; retrying');
    if (config.database.autoMigrate) {
      await retryUntil(() => runMigrations(database.target, logger), {
        isRetryable: retryable,
        onRetry,
        signal: aborter.signal,
      });
    } else {
      // Another node (or `npm run db:migrate`) owns migrations: wait until the schema is current.
      await retryUntil(
        async () => {
          const pending = await pendingMigrations(database.pool);
          if (pending.length > 0) {
            throw Object.assign(new Error(`Waiting for migrations: ${pending.join(', ')}`), {
              code: 'ECONNREFUSED',
            });
          }
        },
        { isRetryable: retryable, onRetry, signal: aborter.signal },
      );
    }
    for (const startRole of afterMigrations) await startRole();
    readiness.started = true;
    logger.info({ roles: [...config.roles] }, 'Ready');
  }

  const app: App = {
    config,
    logger,
    get httpPort() {
      if (!http) throw new Error('HTTP server is not listening (api role off or not started)');
      return http.port;
    },
    get io() {
      return realtime?.io;
    },
    get realtimePort() {
      if (!realtime) throw new Error('Realtime server is not listening (realtime role off or not ready)');
      return realtime.port;
    },
    get db() {
      if (!db) throw new Error('Database is not open yet');
      return db;
    },
    redis,
    async start() {
      logger.info(describeConfig(config), 'Starting');
      if (!redis) logger.info('No Redis configured: single-node mode (in-memory adapter and rate limits)');
      else void redis.connect().catch(() => undefined); // ioredis keeps retrying; readiness reports it.
      db = await openDatabase(config.database, logger, name);
      metrics.watchPool(db.pool);
      const health = new HealthChecker(db.pool, redis);
      const auth = new AuthService({
        pool: db.pool,
        botToken: config.telegram.botToken,
        initDataTtlSec: config.telegram.initDataTtlSec,
        adminIds: config.telegram.adminIds,
      });
      const keyPrefix = config.redis?.keyPrefix ?? 'gw:';
      // Every node that enqueues side effects (api, worker) needs the queue's schema; only workers work it.
      const jobs = new JobQueue({ connectionString: db.target.connectionString, ssl: db.target.ssl, logger });
      afterMigrations.push(() =>
        retryUntil(() => jobs.start(), {
          isRetryable: (e) => toAppError(e).code === 'UNAVAILABLE',
          onRetry: (err, delayMs) =>
            logger.warn({ err: (err as Error).message, delayMs }, 'Job queue not ready; retrying'),
          signal: aborter.signal,
        }),
      );
      // Pushed before the HTTP hook: hooks run in reverse, so the queue stops after HTTP drained.
      stopHooks.push(() => jobs.stop(config.shutdownTimeoutMs / 2));
      const rateLimits = createRateLimits(config.rateLimit, { redis, keyPrefix, logger });
      const exportsService = new ExportsService({
        pool: db.pool,
        redis,
        keyPrefix,
        publicBaseUrl: config.http.publicBaseUrl,
      });
      const requirements = new RequirementsService({
        pool: db.pool,
        logger,
        redis,
        keyPrefix,
      });
      const beacon = config.draws.drandUrls.length
        ? new DrandRelays({ urls: [...config.draws.drandUrls], logger })
        : null;
      const draws = new DrawService({ pool: db.pool, logger, requirements, jobs, beacon });
      const giveaways = new GiveawaysService({
        pool: db.pool,
        requirements,
        draws: {
          createCommitment: (tx, id, o) => draws.createCommitment(tx, id, o),
          finalizeManual: (p, id) => draws.finalizeManual(p, id),
        },
        debug: config.debug,
      });
      let scheduler: DrawScheduler | undefined;
      if (config.roles.has('worker')) {
        scheduler = new DrawScheduler({ drawService: draws, logger });
        const started = scheduler;
        afterMigrations.push(() => {
          started.start();
          // Stops before the pool closes: aborts draws in progress and releases their leases.
          stopHooks.push(() => started.stop());
          return Promise.resolve();
        });
      }
      const batcher = new JoinBatcher({ pool: db.pool, logger: logger.child({ module: 'joins' }) });
      stopHooks.push(() => batcher.close());
      const joins = new JoinsService({ pool: db.pool, batcher, requirements });
      // The Telegram side (bot, channel tracking, subscription/boost checkers, DMs) exists only with a token.
      const telegram = config.telegram.botToken
        ? createTelegramFeatures({
            token: config.telegram.botToken,
            apiRoot: config.telegram.apiRoot,
            botUsername: config.telegram.botUsername,
            webhook: config.telegram.webhookUrl
              ? { url: config.telegram.webhookUrl, secret: config.telegram.webhookSecret }
              : undefined,
            debug: config.telegram.debug,
            postResults: config.telegram.postResults,
            shareAnimationUrl: config.telegram.shareAnimationUrl,
            publicBaseUrl: config.http.publicBaseUrl,
            minDurationSec: config.debug ? 5 : 300,
            pool: db.pool,
            redis,
            keyPrefix,
            logger,
            jobs,
            requirements,
            joins,
            giveaways,
            auth,
            limitJoin: (userId) => rateLimits.join.consume({ userId }),
            limitCreate: (userId) => rateLimits.create.consume({ userId }),
          })
        : undefined;
      if (telegram) {
        const features = telegram;
        if (config.roles.has('worker'))
          afterMigrations.push(() => Promise.resolve(features.registerWorkers()));
        if (config.roles.has('bot')) {
          afterMigrations.push(() => features.start());
          stopHooks.push(() => features.stop());
        }
      }
      if (config.roles.has('realtime')) {
        const snapshots = new SnapshotCache((id) => giveaways.get(undefined, id));
        const database = db;
        afterMigrations.push(async () => {
          realtime = await startRealtimeServer({
            port: config.realtime.port,
            origin: config.http.origin,
            adapter: createAdapter(config.redis, logger, name),
            logger,
            setup(io) {
              io.use(socketAuth(auth));
              io.on('connection', (socket) =>
                registerGiveawaySocket(socket, {
                  joins,
                  snapshots,
                  logger: logger.child({ module: 'socket' }),
                  limitJoin: (userId, ip) => rateLimits.join.consume({ userId, ip }),
                }),
              );
            },
          });
          stopHooks.push(() => (realtime ? realtime.close() : Promise.resolve()));
          const io = realtime.io;
          const nodeId = `${hostname()}:${process.pid}:${name}`;
          const presence = new Presence({ io, redis, keyPrefix, nodeId, logger });
          presence.start();
          const relay = new ChangeRelay({
            ...database.target,
            pool: database.pool,
            io,
            logger,
            metrics,
            presence,
            nodeId,
          });
          // Any node's notifications wake its scheduler early; the 1 s poll is the backstop.
          if (scheduler) {
            const wake = scheduler;
            relay.onChange(() => wake.nudge());
          }
          relay.start();
          // Runs before io closes (hooks run in reverse): hand leadership over at once.
          stopHooks.push(async () => {
            await relay.stop();
            await presence.stop();
          });
        });
      }
      if (config.roles.has('api')) {
        // Until migrations ran, the API answers 503 rather than failing on a missing table.
        const whenStarted: RequestHandler = (_req, _res, next) => {
          if (!readiness.started)
            throw new AppError('UNAVAILABLE', 'The server is starting; retry shortly.', undefined, 1);
          next();
        };
        const apiV1 = Router();
        apiV1.use(whenStarted, authenticate(auth));
        apiV1.post('/giveaways/:id/join', rateLimits.join.middleware);
        apiV1.post('/giveaways', rateLimits.create.middleware);
        apiV1.use(authRoutes(auth));
        apiV1.use(exportsRoutes(exportsService));
        apiV1.use(drawsRoutes(draws));
        if (telegram) apiV1.use(telegram.apiRouter);
        apiV1.use(requirementsRoutes(requirements));
        apiV1.use(
          giveawaysRoutes({
            giveaways,
            joins,
            checkRequirements: (id, userId) => requirements.checkView(id, userId),
          }),
        );
        const express = createHttpApp({
          logger,
          metrics,
          origin: config.http.origin,
          ops: opsRoutes({ health, metrics, readiness }),
          routers: [
            { path: '/api/v1', router: apiV1 },
            {
              path: '/api/public',
              router: Router().use(
                whenStarted,
                publicExportRoutes(exportsService),
                publicDrawsRoutes(draws),
                ...(telegram ? [telegram.publicRouter] : []),
              ),
            },
            { path: '/api/docs', router: docsRouter() },
            { path: '/verify', router: verifyPageRoutes({ logger }) },
            {
              path: '/overlay',
              router: overlayRoutes({
                realtimeUrl: (req) =>
                  config.realtime.publicUrl ??
                  defaultRealtimeUrl(req, realtime?.port ?? config.realtime.port),
                publicBaseUrl: config.http.publicBaseUrl,
                logger: logger.child({ module: 'overlay' }),
              }),
            },
            ...(telegram?.webhookRouter && telegram.webhookPath
              ? [{ path: telegram.webhookPath, router: Router().use(whenStarted, telegram.webhookRouter) }]
              : []),
          ],
        });
        http = await serve(express, config.http.port);
        stopHooks.push(() => (http ? http.close(config.shutdownTimeoutMs / 2) : Promise.resolve()));
        logger.info({ port: http.port }, 'HTTP listening');
      }
      ready = bootstrap(db);
      ready.catch(() => undefined); // Observed through whenReady(); avoid an unhandled rejection meanwhile.
    },
    whenReady() {
      if (!ready) return Promise.reject(new Error('start() was not called'));
      return ready;
    },
    stop() {
      stopping ??= (async () => {
        readiness.draining = true;
        aborter.abort();
        logger.info('Stopping');
        // Each part gets a bounded time: one stuck part (a connection hanging on a dead network) must not keep
        // the pools open and the process alive.
        const hookDeadlineMs = Math.min(5_000, config.shutdownTimeoutMs / 2);
        for (const hook of stopHooks.reverse()) {
          let timer: NodeJS.Timeout | undefined;
          const deadline = new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              logger.warn({ ms: hookDeadlineMs }, 'A part did not stop in time; moving on');
              resolve();
            }, hookDeadlineMs);
          });
          await Promise.race([
            hook().catch((err: unknown) => logger.error({ err }, 'Error while stopping')),
            deadline,
          ]);
          clearTimeout(timer);
        }
        await redis?.quit().catch(() => redis.disconnect());
        await db?.close();
        logger.info('Stopped');
      })();
      return stopping;
    },
  };
  return app;
}
