// The grammY bot: handlers from server/bot composed over the services, and how updates reach it (long
// polling on the bot role, or a webhook mounted on the api role).
import { MemorySessionStorage, type StorageAdapter } from 'grammy';
import type { Config } from '../config/index.ts';
import {
  BotPrincipals,
  BotRunner,
  RedisSessionStorage,
  SessionData,
  channelsComposer,
  claimComposer,
  createBot,
  deriveWebhookSecret,
  myComposer,
  newGiveawayComposer,
  startComposer,
} from '../bot/index.ts';
import type { Services, TelegramBot } from '../roles/index.ts';

export type { TelegramBot };

const SESSION_TTL_SEC = 24 * 3600;

export function buildTelegramBot(config: Config, services: Omit<Services, 'bot'>): TelegramBot | undefined {
  const telegram = services.telegram;
  if (!telegram) return undefined;
  const { logger, redis, keyPrefix, giveaways, joins, rateLimits } = services;
  const { channels, boosts } = telegram;
  const bot = createBot({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    transformers: [...telegram.transformers],
    logger,
    debug: config.telegram.debug,
  });
  const principals = new BotPrincipals({
    pool: services.db.pool,
    isAdmin: (id) => services.auth.isAdmin(id),
  });
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
      giveaways,
      joins,
      limitJoin: (userId) => rateLimits.join.consume({ userId }),
      logger,
    }),
  );
  bot.use(claimComposer({ principals, claims: services.draws.claims, logger }));
  bot.use(myComposer({ principals, giveaways }));
  bot.use(
    newGiveawayComposer({
      principals,
      giveaways,
      channels,
      storage,
      limitCreate: (userId) => rateLimits.create.consume({ userId }),
      minDurationSec: config.debug ? 5 : 300,
      logger,
    }),
  );
  // Buttons from old messages (or other deployments) still deserve an answer, not a spinning button.
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery('This button has expired.'));
  const url = config.telegram.webhookUrl;
  const webhook = url
    ? { url, secret: config.telegram.webhookSecret ?? deriveWebhookSecret(telegram.token) }
    : undefined;
  return { bot, runner: new BotRunner(bot, { logger, ...(webhook ? { webhook } : {}) }) };
}
