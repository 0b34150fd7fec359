// Everything Telegram, built once from the app's parts: Bot API client, channel tracking, the
// subscription/boost checkers, notifications, sharing, the bot and its HTTP routers. app.ts mounts the
// routers and calls start / registerWorkers / stop according to the node's roles.
import { MemorySessionStorage, type Bot, type StorageAdapter } from 'grammy';
import type pg from 'pg';
import { Router } from 'express';
import type { AuthService } from '../auth/index.ts';
import {
  AvatarProxy,
  BoostChecker,
  BoostSet,
  ChannelProbe,
  ChannelsService,
  SubscriptionChecker,
  TtlCache,
  channelsRoutes,
  publicChannelsRoutes,
} from '../channels/index.ts';
import type { GiveawaysService } from '../giveaways/index.ts';
import type { JoinsService } from '../joins/index.ts';
import {
  NotificationsService,
  ShareService,
  notificationsRoutes,
  registerNotificationWorkers,
} from '../notifications/index.ts';
import type { Logger, Redis } from '../platform/index.ts';
import type { JobQueue, WorkOptions } from '../platform/jobs/index.ts';
import type { RequirementsService } from '../requirements/index.ts';
import { SessionData, type BotContext } from './bot-context.ts';
import { BotPrincipals } from './bot-principal.ts';
import { BotRunner, deriveWebhookSecret } from './bot-runner.ts';
import { channelsComposer } from './channels.bot.ts';
import { createBot } from './create-bot.ts';
import { myComposer } from './my.bot.ts';
import { newGiveawayComposer } from './new-giveaway.bot.ts';
import { RedisSessionStorage } from './redis-session-storage.ts';
import { startComposer } from './start.bot.ts';
import {
  TelegramClient,
  createAutoRetry,
  createThrottler,
  type AutoRetryOptions,
  type ThrottleOptions,
} from './telegram/index.ts';

export interface TelegramFeaturesOptions {
  token: string;
  /** BOT_API_ROOT; default https://api.telegram.org. */
  apiRoot?: string;
  /** BOT_USERNAME; otherwise getMe. */
  botUsername?: string;
  /** BOT_WEBHOOK_URL and BOT_WEBHOOK_SECRET; without a URL the bot long-polls. */
  webhook?: { url: string; secret?: string };
  /** TELEGRAM_DEBUG. */
  debug?: boolean;
  /** BOT_POST_RESULTS: post results in sponsor channels on completion. */
  postResults?: boolean;
  /** BOT_SHARE_ANIMATION_URL. */
  shareAnimationUrl?: string;
  /** PUBLIC_BASE_URL, no trailing slash (avatar URLs). */
  publicBaseUrl: string;
  /** 300, or 5 in DEBUG. */
  minDurationSec?: number;
  pool: pg.Pool;
  redis: Redis | null;
  keyPrefix: string;
  logger: Logger;
  jobs: Pick<JobQueue, 'enqueue' | 'work'>;
  requirements: Pick<RequirementsService, 'register'>;
  joins: Pick<JoinsService, 'join'>;
  giveaways: Pick<GiveawaysService, 'get' | 'list' | 'create' | 'requireOwned'>;
  auth: Pick<AuthService, 'isAdmin'>;
  /** The per-user join rate limit shared with REST (rateLimits.join.consume). */
  limitJoin?: (userId: number) => Promise<void>;
  /** The per-user create rate limit shared with REST (rateLimits.create.consume). */
  limitCreate?: (userId: number) => Promise<void>;
  throttle?: ThrottleOptions;
  retry?: AutoRetryOptions;
  notificationLeaseSec?: number;
  workOptions?: WorkOptions;
}

export interface TelegramFeatures {
  bot: Bot<BotContext>;
  telegram: TelegramClient;
  channels: ChannelsService;
  notifications: NotificationsService;
  /** Mount under /api/v1 behind authenticate. */
  apiRouter: Router;
  /** Mount under /api/public (no auth). */
  publicRouter: Router;
  /** With a webhook: mount `webhookRouter` at `webhookPath` on the api role (no auth: the secret is checked). */
  webhookRouter?: Router;
  webhookPath?: string;
  /** Bot role: long polling, or setWebhook. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Worker role: notify-winner, notify-creator and post-results handlers. */
  registerWorkers(): void;
}

const SESSION_TTL_SEC = 24 * 3600;

export function createTelegramFeatures(opts: TelegramFeaturesOptions): TelegramFeatures {
  const apiRoot = (opts.apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '');
  // Throttle inside, retries outside: every retry waits for its slot again. One pair for the whole process.
  const transformers = [createThrottler(opts.throttle), createAutoRetry(opts.retry)];
  const telegram = new TelegramClient({
    token: opts.token,
    apiRoot,
    transformers,
    ...(opts.botUsername ? { username: opts.botUsername } : {}),
  });
  const { pool, redis, keyPrefix, logger } = opts;
  const cache = (namespace: string) => new TtlCache({ redis, keyPrefix, namespace, logger });

  const channels = new ChannelsService({
    pool,
    telegram,
    jobs: opts.jobs,
    logger,
    publicBaseUrl: opts.publicBaseUrl,
  });
  const boosts = new BoostSet({ redis, keyPrefix, logger });
  opts.requirements.register(new SubscriptionChecker({ telegram, channels }));
  opts.requirements.register(new BoostChecker({ telegram, channels, boosts }));
  const probe = new ChannelProbe({ telegram, cache: cache('chan'), publicBaseUrl: opts.publicBaseUrl });
  const avatars = new AvatarProxy({ telegram, cache: cache('avatar'), logger });

  const notifications = new NotificationsService({
    pool,
    telegram,
    jobs: opts.jobs,
    logger,
    giveaways: opts.giveaways,
    ...(opts.notificationLeaseSec !== undefined ? { leaseSec: opts.notificationLeaseSec } : {}),
  });
  const share = new ShareService({
    telegram,
    cache: cache('share'),
    giveaways: opts.giveaways,
    ...(opts.shareAnimationUrl ? { animationUrl: opts.shareAnimationUrl } : {}),
  });

  const bot = createBot({ token: opts.token, apiRoot, transformers, logger, debug: opts.debug ?? false });
  const principals = new BotPrincipals({ pool, isAdmin: (id) => opts.auth.isAdmin(id) });
  const storage: StorageAdapter<SessionData> = redis
    ? new RedisSessionStorage({
        redis,
        prefix: `${keyPrefix}bot:session:`,
        ttlSec: SESSION_TTL_SEC,
        schema: SessionData,
      })
    : new MemorySessionStorage<SessionData>(SESSION_TTL_SEC * 1000);
  bot.use(channelsComposer({ channels, boosts }));
  bot.use(
    startComposer({
      principals,
      giveaways: opts.giveaways,
      joins: opts.joins,
      limitJoin: opts.limitJoin,
      logger,
    }),
  );
  bot.use(myComposer({ principals, giveaways: opts.giveaways }));
  bot.use(
    newGiveawayComposer({
      principals,
      giveaways: opts.giveaways,
      channels,
      storage,
      ...(opts.limitCreate ? { limitCreate: opts.limitCreate } : {}),
      minDurationSec: opts.minDurationSec ?? 300,
      logger,
    }),
  );
  // Buttons from old messages (or other deployments) still deserve an answer, not a spinning button.
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery('This button has expired.'));

  const webhook = opts.webhook
    ? { url: opts.webhook.url, secret: opts.webhook.secret ?? deriveWebhookSecret(opts.token) }
    : undefined;
  const runner = new BotRunner(bot, { logger, ...(webhook ? { webhook } : {}) });
  const webhookRouter = runner.webhookRouter();
  const webhookPath = runner.webhookPath();

  return {
    bot,
    telegram,
    channels,
    notifications,
    apiRouter: Router().use(
      channelsRoutes({ channels, probe }),
      notificationsRoutes({ notifications, share }),
    ),
    publicRouter: publicChannelsRoutes(avatars),
    ...(webhookRouter && webhookPath ? { webhookRouter, webhookPath } : {}),
    start: () => runner.start(),
    stop: () => runner.stop(),
    registerWorkers: () =>
      registerNotificationWorkers({
        pool,
        service: notifications,
        telegram,
        jobs: opts.jobs,
        logger,
        postResults: opts.postResults ?? false,
        ...(opts.workOptions ? { workOptions: opts.workOptions } : {}),
      }),
  };
}
