// The Telegram features built the way app.ts builds them, against a fresh test database, (optionally) real
// Redis, a real pg-boss queue and the fake Bot API; plus an HTTP app mounting their routers, and builders
// for the updates Telegram would send.
import { Router } from 'express';
import { Redis } from 'ioredis';
import { AuthService, authenticate } from '../../server/auth/index.ts';
import {
  createTelegramFeatures,
  type TelegramFeatures,
  type TelegramFeaturesOptions,
} from '../../server/bot/index.ts';
import { createCommitment } from '../../server/draws/commitment.ts';
import { GiveawaysService, giveawaysRoutes } from '../../server/giveaways/index.ts';
import { JoinBatcher, JoinsService } from '../../server/joins/index.ts';
import { createHttpApp } from '../../server/platform/http/index.ts';
import { serve, type RunningServer } from '../../server/platform/http/serve.ts';
import { JobQueue } from '../../server/platform/jobs/index.ts';
import { createLogger, createMetrics } from '../../server/platform/index.ts';
import { AppError } from '../../server/platform/errors.ts';
import { RequirementsService } from '../../server/requirements/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { FAKE_BOT_ID, FakeTelegram } from '../support/fake-telegram.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { TEST_BOT_TOKEN } from '../support/telegram-user.ts';

export { FAKE_BOT_ID };

export interface Harness {
  db: TestDatabase;
  fake: FakeTelegram;
  redis: Redis | null;
  keyPrefix: string;
  jobs: JobQueue;
  auth: AuthService;
  requirements: RequirementsService;
  giveaways: GiveawaysService;
  joins: JoinsService;
  features: TelegramFeatures;
  /** Base URL of the HTTP app (api v1, public, webhook). */
  url: string;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  redis?: boolean;
  features?: Partial<TelegramFeaturesOptions>;
  /** An existing database (a second "node" in the same test). */
  db?: TestDatabase;
}

export const PUBLIC_BASE_URL = 'http://public.test';

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const db = opts.db ?? (await createTestDatabase());
  const fake = await FakeTelegram.start();
  const logger = createLogger('silent');
  let redis: Redis | null = null;
  if (opts.redis) {
    redis = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  }
  const keyPrefix = opts.features?.keyPrefix ?? testKeyPrefix();
  const jobs = new JobQueue({
    connectionString: db.url,
    ssl: false,
    logger,
    poolMax: 2,
    retry: { limit: 3, delaySec: 0, backoff: false },
  });
  await jobs.start();
  const auth = new AuthService({
    pool: db.pool,
    botToken: TEST_BOT_TOKEN,
    initDataTtlSec: 86_400,
    adminIds: [],
  });
  const requirements = new RequirementsService({ pool: db.pool, logger, redis, keyPrefix });
  const giveaways = new GiveawaysService({
    pool: db.pool,
    requirements,
    draws: { createCommitment, finalizeManual: () => Promise.reject(new AppError('UNSUPPORTED')) },
    debug: true,
  });
  const batcher = new JoinBatcher({ pool: db.pool, logger });
  const joins = new JoinsService({ pool: db.pool, batcher, requirements });
  const features = createTelegramFeatures({
    token: TEST_BOT_TOKEN,
    apiRoot: fake.apiRoot,
    publicBaseUrl: PUBLIC_BASE_URL,
    minDurationSec: 5,
    pool: db.pool,
    redis,
    keyPrefix,
    logger,
    jobs,
    requirements,
    joins,
    giveaways,
    auth,
    // Fast tests: generous pacing, short in-call retries, quick polling.
    throttle: { globalPerSec: 1000, privatePerSec: 100, groupPerMin: 6000 },
    retry: { maxRetryAfterSec: 2, baseDelayMs: 10 },
    workOptions: { pollingIntervalSeconds: 0.2 },
    ...opts.features,
  });
  const apiV1 = Router().use(authenticate(auth), features.apiRouter);
  apiV1.use(
    giveawaysRoutes({
      giveaways,
      joins,
      checkRequirements: (id, userId) => requirements.checkView(id, userId),
    }),
  );
  const routers = [
    { path: '/api/v1', router: apiV1 },
    { path: '/api/public', router: features.publicRouter },
  ];
  if (features.webhookRouter && features.webhookPath) {
    routers.push({ path: features.webhookPath, router: features.webhookRouter });
  }
  const app = createHttpApp({ logger, metrics: createMetrics(), origin: '*', ops: Router(), routers });
  const http: RunningServer = await serve(app, 0, '127.0.0.1');
  return {
    db,
    fake,
    redis,
    keyPrefix,
    jobs,
    auth,
    requirements,
    giveaways,
    joins,
    features,
    url: `http://127.0.0.1:${http.port}`,
    async stop() {
      await features.stop();
      await jobs.stop(2_000);
      await http.close(1_000);
      await batcher.close();
      redis?.disconnect();
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
  if (!h.features.bot.isInited()) await h.features.bot.init();
  await h.features.bot.handleUpdate({ update_id: seq++, ...update });
}
