// createServer(config): the one composition root. main.ts, tests and benches all use it, so what runs in
// production is what the tests exercise. start() opens the infrastructure, builds every service and
// listens on the api port; whenReady() resolves once the schema is current and every role has started.
import { describeConfig, type Config } from '../config/index.ts';
import type { Logger, Redis } from '../platform/index.ts';
import type { Database } from '../platform/db/index.ts';
import type { Readiness } from '../platform/http/index.ts';
import type { RealtimeIo } from '../platform/realtime/index.ts';
import { publicLinkProblem } from '../ton/index.ts';
import {
  Lifecycle,
  apiRole,
  botRole,
  changeFeedPart,
  claimDeadlinePart,
  drawSchedulerPart,
  jobQueuePart,
  notificationWorkers,
  realtimeGateway,
  relayRole,
  schemaGate,
  webhookWorkers,
  type ApiRole,
  type Part,
  type RealtimeGateway,
} from '../roles/index.ts';
import {
  closeInfrastructure,
  createBaseInfrastructure,
  openInfrastructure,
  type Infrastructure,
  type InfrastructureOptions,
} from './infrastructure.ts';
import { buildServices, type Services, type ServicesTuning } from './services.ts';

export interface ServerOptions extends InfrastructureOptions {
  tuning?: ServicesTuning;
}

export interface Server {
  readonly config: Config;
  readonly logger: Logger;
  /** Opens the database, builds the services, listens on the api port. Ops routes answer from then on. */
  start(): Promise<void>;
  /** Resolves when migrations ran and every role started; rejects on a fatal boot error. */
  whenReady(): Promise<void>;
  /** Graceful: stop accepting, drain, stop roles in reverse, close pools. Idempotent. */
  stop(): Promise<void>;
  readonly httpPort: number;
  /** The api role's HTTP server (its request listener is the Express app), for the route/docs comparison. */
  readonly httpServer: ApiRole['httpServer'];
  /** The Socket.IO port (realtime role), known once whenReady() resolved. */
  readonly realtimePort: number;
  /** The Socket.IO server (realtime role), for tests. */
  readonly io: RealtimeIo | undefined;
  readonly db: Database;
  readonly redis: Redis | null;
  /** Every service, once start() resolved. */
  readonly services: Services;
}

/** The parts a node runs, in dependency order (they stop in reverse). */
function assembleParts(
  services: Services,
  api: ApiRole | undefined,
  gateway: RealtimeGateway | undefined,
  signal: AbortSignal,
): Part[] {
  const { config, logger, db, jobs, batcher } = services;
  const roles = config.roles;
  const parts: Part[] = [
    // First in, last out: pending joins flush after the API and the gateway stopped taking them.
    { name: 'join-batcher', start: () => Promise.resolve(), stop: () => batcher.close() },
    schemaGate({ database: db, autoMigrate: config.database.autoMigrate, logger, signal }),
    jobQueuePart({ jobs, logger, stopTimeoutMs: config.shutdownTimeoutMs / 2, signal }),
    // The close's snapshot readers have a pool of their own; closes run from the scheduler and the API, so it
    // ends after both stopped (it would also end by itself once idle, but not before the process's deadline).
    { name: 'entrant-readers', start: () => Promise.resolve(), stop: () => services.draws.closing.stop() },
  ];
  if (services.feed) parts.push(changeFeedPart(services));
  if (roles.has('worker'))
    parts.push(
      drawSchedulerPart(services),
      claimDeadlinePart(services),
      notificationWorkers(services),
      webhookWorkers(services),
    );
  if (roles.has('bot')) parts.push(botRole(services));
  if (gateway) parts.push(gateway, relayRole(services, gateway));
  if (api) parts.push(api);
  return parts;
}

export function createServer(config: Config, options: ServerOptions = {}): Server {
  const base = createBaseInfrastructure(config, options);
  const { logger } = base;
  const readiness: Readiness = { started: false, draining: false };
  const aborter = new AbortController();
  // Each part gets a bounded time to stop.
  const lifecycle = new Lifecycle({ logger, stopDeadlineMs: Math.min(5_000, config.shutdownTimeoutMs / 2) });
  let infra: Infrastructure | undefined;
  let services: Services | undefined;
  let api: ApiRole | undefined;
  let gateway: RealtimeGateway | undefined;
  let ready: Promise<void> | undefined;
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  async function boot(): Promise<void> {
    logger.info(describeConfig(config), 'Starting');
    for (const warning of config.warnings) logger.warn({ module: 'config' }, warning);
    // With the bot on, export and avatar links go to Telegram clients, which open only public https URLs.
    const linkProblem = config.telegram.botToken ? publicLinkProblem(config.http.publicBaseUrl) : null;
    if (linkProblem) logger.warn(linkProblem);
    infra = await openInfrastructure(config, base, options, aborter.signal);
    aborter.signal.throwIfAborted();
    const built = buildServices(config, infra, options.tuning);
    services = built;
    gateway = config.roles.has('realtime') ? realtimeGateway(built) : undefined;
    const gw = gateway;
    api = config.roles.has('api') ? apiRole(built, readiness, () => gw?.server?.port) : undefined;
    await api?.listen();
    aborter.signal.throwIfAborted();
    ready = lifecycle.start(assembleParts(built, api, gateway, aborter.signal)).then(() => {
      readiness.started = true;
      logger.info({ roles: [...config.roles] }, 'Ready');
    });
    ready.catch(() => undefined); // Observed through whenReady(); avoid an unhandled rejection meanwhile.
  }

  return {
    config,
    logger,
    redis: base.redis,
    get httpServer() {
      return api?.httpServer;
    },
    get httpPort() {
      const port = api?.port;
      if (port === undefined) throw new Error('HTTP server is not listening (api role off or not started)');
      return port;
    },
    get io() {
      return gateway?.server?.io;
    },
    get realtimePort() {
      const server = gateway?.server;
      if (!server) throw new Error('Realtime server is not listening (realtime role off or not ready)');
      return server.port;
    },
    get db() {
      if (!infra) throw new Error('Database is not open yet');
      return infra.db;
    },
    get services() {
      if (!services) throw new Error('The server is not started yet');
      return services;
    },
    start() {
      starting ??= boot();
      return starting;
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
        // A boot still under way winds down first (each of its steps is abortable), so that whatever it
        // opened is closed below, embedded PostgreSQL last.
        await starting?.catch(() => undefined);
        await lifecycle.stop();
        await api?.stop(); // Closed already unless boot failed before the api part started.
        await closeInfrastructure(base, infra);
        logger.info('Stopped');
      })();
      return stopping;
    },
  };
}
