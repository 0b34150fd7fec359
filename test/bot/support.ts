// The production server (createServer, the one composition root) against a fresh test database, (optionally)
// real Redis and the fake Bot API, with the api role only; the bot and the notification workers start on
// demand through their own role parts. Plus builders for the updates Telegram would send.
import type { Bot } from 'grammy';
import type { Redis } from 'ioredis';
import type { BotContext } from '../../server/bot/index.ts';
import type { Services, TelegramServices } from '../../server/composition/index.ts';
import type { Logger } from '../../server/platform/index.ts';
import { Lifecycle, botRole, notificationWorkers } from '../../server/roles/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { FAKE_BOT_ID, FakeTelegram } from '../support/fake-telegram.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp } from '../support/test-app.ts';

export { FAKE_BOT_ID };

export interface Harness {
  db: TestDatabase;
  fake: FakeTelegram;
  redis: Redis | null;
  keyPrefix: string;
  services: Services;
  telegram: TelegramServices;
  bot: Bot<BotContext>;
  jobs: Services['jobs'];
  requirements: Services['requirements'];
  giveaways: Services['giveaways'];
  /** The bot role: long polling, or registering the webhook. */
  startBot(): Promise<void>;
  /** The worker role's notification job handlers. */
  startNotificationWorkers(): Promise<void>;
  /** Base URL of the HTTP app (api v1, public, webhook). */
  url: string;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  redis?: boolean;
  /** Extra environment (BOT_WEBHOOK_URL, BOT_POST_RESULTS, TELEGRAM_DEBUG, ...). */
  env?: Record<string, string>;
  logger?: Logger;
  /** An existing database (a second "node" in the same test). */
  db?: TestDatabase;
}

export const PUBLIC_BASE_URL = 'http://public.test';

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const db = opts.db ?? (await createTestDatabase());
  const fake = await FakeTelegram.start();
  const keyPrefix = testKeyPrefix();
  const app = await startTestApp(
    {
      ROLES: 'api',
      DATABASE_URL: db.url,
      DB_AUTO_MIGRATE: 'false',
      BOT_TOKEN: TEST_BOT_TOKEN,
      BOT_API_ROOT: fake.apiRoot,
      PUBLIC_BASE_URL,
      DEBUG: 'true',
      RATE_LIMIT: 'off',
      ...(opts.redis ? { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: keyPrefix } : {}),
      ...opts.env,
    },
    {
      ...(opts.logger ? { logger: opts.logger } : {}),
      jobs: { poolMax: 2, retry: { limit: 3, delaySec: 0, backoff: false } },
      // Fast tests: generous pacing, short in-call retries, quick polling.
      tuning: {
        telegram: {
          throttle: { globalPerSec: 1000, privatePerSec: 100, groupPerMin: 6000 },
          retry: { maxRetryAfterSec: 2, baseDelayMs: 10 },
          workOptions: { pollingIntervalSeconds: 0.2 },
        },
      },
    },
  );
  const services = app.app.services;
  const { telegram, bot } = services;
  if (!telegram || !bot) throw new Error('The harness needs the Telegram services (BOT_TOKEN)');
  // Parts started on demand stop before the server does.
  const extra = new Lifecycle({ logger: services.logger, stopDeadlineMs: 5_000 });
  return {
    db,
    fake,
    redis: services.redis,
    keyPrefix: services.keyPrefix,
    services,
    telegram,
    bot: bot.bot,
    jobs: services.jobs,
    requirements: services.requirements,
    giveaways: services.giveaways,
    startBot: () => extra.start([botRole(services)]),
    startNotificationWorkers: () => extra.start([notificationWorkers(services)]),
    url: app.url,
    async stop() {
      await extra.stop();
      await app.stop();
      await fake.stop();
      if (!opts.db) await db.drop();
    },
  };
}

// --- updates as Telegram sends them ------------------------------------------------------------------

let seq = 1;
const user = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  is_bot: false,
  first_name: `User${id}`,
  username: `user${id}`,
  ...extra,
});

export function textMessage(fromId: number, text: string, chatId = fromId) {
  const entities = text.startsWith('/')
    ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 0 }]
    : undefined;
  return {
    message: {
      message_id: seq++,
      date: Math.floor(Date.now() / 1000),
      chat:
        chatId > 0
          ? { id: chatId, type: 'private', first_name: `User${fromId}` }
          : { id: chatId, type: 'supergroup', title: 'Group' },
      from: user(fromId),
      text,
      ...(entities ? { entities } : {}),
    },
  };
}

export function callbackQuery(fromId: number, data: string, messageId = 1) {
  return {
    callback_query: {
      id: String(seq++),
      from: user(fromId),
      chat_instance: 'ci',
      data,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: fromId, type: 'private', first_name: `User${fromId}` },
        text: 'card',
      },
    },
  };
}

export function botMembership(
  chat: { id: number; title: string; username?: string; type?: string },
  actorId: number,
  status: 'administrator' | 'member' | 'left' | 'kicked',
) {
  const bot = { id: FAKE_BOT_ID, is_bot: true, first_name: 'Giveaway Bot', username: 'test_giveaway_bot' };
  const member = (s: string) =>
    s === 'administrator'
      ? {
          status: s,
          user: bot,
          can_be_edited: false,
          can_manage_chat: true,
          can_restrict_members: true,
          can_invite_users: true,
        }
      : { status: s, user: bot };
  return {
    my_chat_member: {
      chat: {
        id: chat.id,
        type: chat.type ?? 'channel',
        title: chat.title,
        ...(chat.username ? { username: chat.username } : {}),
      },
      from: user(actorId),
      date: Math.floor(Date.now() / 1000),
      old_chat_member: member(status === 'left' || status === 'kicked' ? 'administrator' : 'left'),
      new_chat_member: member(status),
    },
  };
}

/** bot.handleUpdate needs the update_id and getMe (bot.init) first. */
export async function deliver(h: Harness, update: Record<string, unknown>): Promise<void> {
  if (!h.bot.isInited()) await h.bot.init();
  await h.bot.handleUpdate({ update_id: seq++, ...update });
}
