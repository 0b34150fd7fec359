// The infrastructure every service stands on: logger, metrics, Redis (lazy), the database (external or
// embedded PostgreSQL) and the job queue. Opening it is the only I/O before the roles start.
import type { Config } from '../config/index.ts';
import { createLogger, createMetrics, createRedis, type Logger } from '../platform/index.ts';
import { openDatabase } from '../platform/db/index.ts';
import { JobQueue, type JobQueueOptions } from '../platform/jobs/index.ts';
import type { BaseInfrastructure, Infrastructure } from '../roles/index.ts';
import { loadSandboxSecret } from '../sandbox/index.ts';

export type { BaseInfrastructure, Infrastructure };

export interface InfrastructureOptions {
  logger?: Logger;
  /** Application name reported to PostgreSQL (pg_stat_activity) and used in the node id. */
  name?: string;
  /** Test knobs for the queue (a small pool, fast retries). */
  jobs?: Pick<JobQueueOptions, 'poolMax' | 'retry'>;
}

export function createBaseInfrastructure(
  config: Config,
  options: InfrastructureOptions = {},
): BaseInfrastructure {
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat);
  const name = options.name ?? 'giveaway-server';
  return {
    name,
    logger,
    metrics: createMetrics(),
    redis: config.redis ? createRedis(config.redis, logger, `${name}:main`) : null,
    keyPrefix: config.redis?.keyPrefix ?? 'gw:',
  };
}

/**
 * Opens the database (starting embedded PostgreSQL if configured); Redis connects in the background.
 * Aborting `signal` (a stop during boot) stops an embedded PostgreSQL being started and rejects.
 */
export async function openInfrastructure(
  config: Config,
  base: BaseInfrastructure,
  options: InfrastructureOptions = {},
  signal?: AbortSignal,
): Promise<Infrastructure> {
  const { logger, redis, name } = base;
  if (!redis) logger.info('No Redis configured: single-node mode (in-memory adapter and rate limits)');
  else void redis.connect().catch(() => undefined); // ioredis keeps retrying; readiness reports it.
  const db = await openDatabase(config.database, logger, name, signal);
  try {
    base.metrics.watchPool(db.pool);
    // Every node that enqueues side effects (api, worker) needs the queue; only workers work it.
    const jobs = new JobQueue({
      connectionString: db.target.connectionString,
      ssl: db.target.ssl,
      logger,
      ...options.jobs,
    });
    const sandboxSecret = config.sandbox.enabled ? loadSandboxSecret(config.sandbox.secretFile) : undefined;
    if (sandboxSecret) logger.warn('Sandbox mode: demo users signed with a local secret at /sandbox');
    return { ...base, db, jobs, sandboxSecret };
  } catch (err) {
    await db.close(); // Nobody else holds it yet: an embedded PostgreSQL must not outlive a failed boot.
    throw err;
  }
}

/** Closes what openInfrastructure opened, after every role stopped. */
export async function closeInfrastructure(
  base: BaseInfrastructure,
  infra: Infrastructure | undefined,
): Promise<void> {
  await base.redis?.quit().catch(() => base.redis?.disconnect());
  await infra?.db.close();
}
