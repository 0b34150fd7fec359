// Every service, constructed once from config and infrastructure: no I/O, no timers, no listening, and
// nothing mutated after construction. Roles (server/roles) start and stop what needs starting.
import { hostname } from 'node:os';
import type { Config } from '../config/index.ts';
import { ChangeFeed } from '../platform/change-feed/index.ts';
import { HealthChecker } from '../platform/index.ts';
import { createRateLimits } from '../platform/rate-limit/index.ts';
import { AuthService } from '../auth/index.ts';
import { avatarUrl } from '../channels/index.ts';
import { ClaimDeadlineSweeper, DrandRelays, DrawScheduler, buildDraws } from '../draws/index.ts';
import { ExportsService } from '../exports/index.ts';
import { GiveawaysService, SnapshotCache } from '../giveaways/index.ts';
import { JoinBatcher, JoinsService } from '../joins/index.ts';
import { RequirementsService } from '../requirements/index.ts';
import { createWebhooks, publishWebhookEvent, type WebhookSettings } from '../webhooks/index.ts';
import { createTon } from '../ton/index.ts';
import type { Infrastructure, Services } from '../roles/index.ts';
import { buildTelegramBot } from './telegram-bot.ts';
import { buildTelegramCore, buildTelegramServices, type TelegramTuning } from './telegram-services.ts';

export type { Services };

export interface ServicesTuning {
  telegram?: TelegramTuning;
  /** Delays and limits over config.webhooks (tests shorten backoff and polling). */
  webhooks?: Partial<WebhookSettings>;
  /** How often the claim deadline scan runs (default 1 s). */
  claimPollMs?: number;
}

export function buildServices(config: Config, infra: Infrastructure, tuning: ServicesTuning = {}): Services {
  const { logger, redis, keyPrefix, jobs } = infra;
  const pool = infra.db.pool;
  const token = config.telegram.botToken;
  // The Telegram side (channel tracking, subscription/boost checkers, DMs, the bot) exists only with a token.
  const telegramCore = token ? buildTelegramCore(config, infra, token, tuning.telegram) : undefined;
  const ton = createTon(config.ton, { pool, logger, publicBaseUrl: config.http.publicBaseUrl });
  const requirements = new RequirementsService({
    pool,
    logger,
    redis,
    keyPrefix,
    checkers: [...(telegramCore?.checkers ?? []), ...ton.checkers],
  });
  const beacon = config.draws.drandUrls.length
    ? new DrandRelays({ urls: [...config.draws.drandUrls], logger })
    : null;
  const draws = buildDraws({ pool, logger, requirements, jobs, beacon, webhooks: publishWebhookEvent });
  const giveaways = new GiveawaysService({
    pool,
    requirements,
    draws: {
      createCommitment: (tx, id, o) => draws.commitments.create(tx, id, o),
      finalizeManual: (p, id) => draws.manualWinners.finalize(p, id),
    },
    // The sandbox walks a giveaway to its draw in minutes, which needs the debug-only short durations.
    debug: config.debug || infra.sandboxSecret !== undefined,
    startHorizonDays: config.giveaways.startHorizonDays,
    // Sponsors are channels: their avatars come from the same proxy as channel avatars, served with a bot.
    ...(token ? { sponsorAvatarUrl: (chatId: number) => avatarUrl(config.http.publicBaseUrl, chatId) } : {}),
  });
  const batcher = new JoinBatcher({
    pool,
    logger: logger.child({ module: 'joins' }),
    maxBatch: config.joins.batchMax,
    maxDelayMs: config.joins.batchDelayMs,
    lanes: config.joins.lanes,
  });
  const joins = new JoinsService({ pool, batcher, requirements });
  const auth = new AuthService({
    pool,
    // Sandbox: init-data is signed with the local secret exactly as Telegram signs it with the bot token.
    botToken: config.telegram.botToken ?? infra.sandboxSecret,
    initDataTtlSec: config.telegram.initDataTtlSec,
    adminIds: config.telegram.adminIds,
  });
  const nodeId = `${hostname()}:${process.pid}:${infra.name}`;
  const feed =
    config.roles.has('worker') || config.roles.has('realtime')
      ? new ChangeFeed({ ...infra.db.target, logger, applicationName: `gw-feed:${nodeId}` })
      : undefined;
  const rateLimits = createRateLimits(config.rateLimit, { redis, keyPrefix, logger });
  const services = {
    ...infra,
    config,
    nodeId,
    feed,
    health: new HealthChecker(pool, redis),
    auth,
    rateLimits,
    exports: new ExportsService({ pool, redis, keyPrefix, publicBaseUrl: config.http.publicBaseUrl }),
    requirements,
    ton,
    draws,
    scheduler: config.roles.has('worker')
      ? new DrawScheduler({
          closing: draws.closing,
          execution: draws.execution,
          logger,
          onError: (step) => infra.metrics.schedulerErrors.inc({ step }),
        })
      : undefined,
    claimSweeper: config.roles.has('worker')
      ? new ClaimDeadlineSweeper({
          claims: draws.claims,
          logger,
          ...(tuning.claimPollMs !== undefined ? { pollMs: tuning.claimPollMs } : {}),
        })
      : undefined,
    giveaways,
    batcher,
    joins,
    snapshots: new SnapshotCache((id) => giveaways.get(undefined, id)),
    webhooks: createWebhooks({ pool, jobs, logger, settings: { ...config.webhooks, ...tuning.webhooks } }),
    telegram: telegramCore
      ? buildTelegramServices(infra, telegramCore, giveaways, {
          animationUrl: config.telegram.shareAnimationUrl,
          tuning: tuning.telegram ?? {},
        })
      : undefined,
  };
  return { ...services, bot: buildTelegramBot(config, services) };
}
