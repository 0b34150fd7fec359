// What the roles are built from: the contract between the composition (which builds these once) and the
// roles (which start and stop them). It lives here, not in server/composition, so the composition depends
// on the roles and never the other way round: no import cycle between the two folders (npm run lint:deps).
import type { Bot, Transformer } from 'grammy';
import type { TelegramOperationId } from '../../schema/contract/index.ts';
import type { HandlerMap } from '../platform/http/index.ts';
import type { AuthService } from '../auth/index.ts';
import type { BotContext, BotRunner } from '../bot/index.ts';
import type { BoostSet, ChannelProbe, ChannelsService } from '../channels/index.ts';
import type { Config } from '../config/index.ts';
import type { ClaimDeadlineSweeper, DrawScheduler, Draws } from '../draws/index.ts';
import type { ExportsService } from '../exports/index.ts';
import type { GiveawaysService, SnapshotCache } from '../giveaways/index.ts';
import type { JoinBatcher, JoinsService } from '../joins/index.ts';
import type { NotificationsService, ShareService } from '../notifications/index.ts';
import type { ChangeFeed } from '../platform/change-feed/index.ts';
import type { Database } from '../platform/db/index.ts';
import type { HealthChecker, Logger, Metrics, Redis } from '../platform/index.ts';
import type { JobQueue, WorkOptions } from '../platform/jobs/index.ts';
import type { RateLimits } from '../platform/rate-limit/index.ts';
import type { AvatarProxy, TelegramClient } from '../platform/telegram/index.ts';
import type { RequirementChecker, RequirementsService } from '../requirements/index.ts';
import type { Ton } from '../ton/index.ts';
import type { Webhooks } from '../webhooks/index.ts';

/** What exists before the database is open: enough to log, count and talk to Redis. */
export interface BaseInfrastructure {
  readonly name: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** null = single-node mode (in-memory adapter and rate limits). */
  readonly redis: Redis | null;
  readonly keyPrefix: string;
}

export interface Infrastructure extends BaseInfrastructure {
  readonly db: Database;
  readonly jobs: JobQueue;
  /** The sandbox's init-data signing secret (SANDBOX on), read or made in DATA_DIR at start. */
  readonly sandboxSecret: string | undefined;
}

/** The client and what requirements need, built before requirements. */
export interface TelegramCore {
  readonly token: string;
  readonly apiRoot: string;
  /** Throttle inside, retries outside: every retry waits for its slot again. One pair per process. */
  readonly transformers: readonly Transformer[];
  readonly client: TelegramClient;
  readonly channels: ChannelsService;
  readonly boosts: BoostSet;
  readonly probe: ChannelProbe;
  readonly avatars: AvatarProxy;
  readonly checkers: readonly RequirementChecker[];
}

export interface TelegramServices extends TelegramCore {
  readonly notifications: NotificationsService;
  readonly share: ShareService;
  readonly workOptions: WorkOptions | undefined;
  /** The Telegram operations of the REST table (channels, notifications, avatars), for buildApiRouters. */
  readonly handlers: HandlerMap<TelegramOperationId>;
}

export interface TelegramBot {
  readonly bot: Bot<BotContext>;
  readonly runner: BotRunner;
}

export interface Services extends Infrastructure {
  readonly config: Config;
  /** host:pid:name, unique per process: names this node's sessions and presence. */
  readonly nodeId: string;
  /** The node's one LISTEN connection (worker or realtime roles): wakes the scheduler, feeds the relay. */
  readonly feed: ChangeFeed | undefined;
  readonly health: HealthChecker;
  readonly auth: AuthService;
  readonly rateLimits: RateLimits;
  readonly exports: ExportsService;
  readonly requirements: RequirementsService;
  /** TonAPI client, wallet linking (TON Connect proof), holdton/holdjetton checkers. */
  readonly ton: Ton;
  readonly draws: Draws;
  /** Worker role only. */
  readonly scheduler: DrawScheduler | undefined;
  /** Worker role only: passes unclaimed places on at their claim deadline. */
  readonly claimSweeper: ClaimDeadlineSweeper | undefined;
  readonly giveaways: GiveawaysService;
  readonly batcher: JoinBatcher;
  readonly joins: JoinsService;
  readonly snapshots: SnapshotCache;
  /** Only with a bot token: the Telegram client and everything that talks to Telegram. */
  readonly telegram: TelegramServices | undefined;
  /** The grammY bot and its runner, with the Telegram services. */
  readonly bot: TelegramBot | undefined;
  /** Signed event deliveries; its workers start on worker-role nodes (server/roles/worker.ts). */
  readonly webhooks: Webhooks;
}
