// Everything that talks to Telegram, built once: the one Bot API client (pacing and retries shared by the
// whole process), channel tracking, the presence probe, the avatar proxy, the subscription and boost checkers,
// notifications and sharing. Built in two steps because requirements need the checkers and notifications
// need giveaways, which need requirements.
import type { Config } from '../config/index.ts';
import {
  BoostChecker,
  BoostSet,
  ChannelProbe,
  ChannelsService,
  SubscriptionChecker,
  channelsHandlers,
  publicChannelsHandlers,
} from '../channels/index.ts';
import { NotificationsService, ShareService, notificationsHandlers } from '../notifications/index.ts';
import type { WorkOptions } from '../platform/jobs/index.ts';
import {
  AvatarProxy,
  BotApiCache,
  FloodPause,
  TelegramClient,
  TtlCache,
  createAutoRetry,
  createThrottler,
  type AutoRetryOptions,
  type ThrottleOptions,
} from '../platform/telegram/index.ts';
import type { Infrastructure, TelegramCore, TelegramServices } from '../roles/index.ts';

export type { TelegramCore, TelegramServices };

/** Test knobs: generous pacing, short in-call retries, quick polling, short leases. */
export interface TelegramTuning {
  throttle?: ThrottleOptions;
  retry?: AutoRetryOptions;
  notificationLeaseSec?: number;
  /** How often this node reads the flood pause other nodes wrote (default 500 ms). */
  floodPauseRefreshMs?: number;
  workOptions?: WorkOptions;
}

export function buildTelegramCore(
  config: Config,
  infra: Infrastructure,
  token: string,
  tuning: TelegramTuning = {},
): TelegramCore {
  const { redis, keyPrefix, logger, jobs } = infra;
  const apiRoot = config.telegram.apiRoot.replace(/\/+$/, '');
  const cache = (namespace: string) => new TtlCache({ redis, keyPrefix, namespace, logger });
  // The governor: pacing plus the flood pause every node of this bot honours.
  const pause = new FloodPause({
    shared: redis ? cache('tg') : null,
    ...(tuning.floodPauseRefreshMs !== undefined ? { refreshMs: tuning.floodPauseRefreshMs } : {}),
  });
  const transformers = [createThrottler({ ...tuning.throttle, pause }), createAutoRetry(tuning.retry)];
  const client = new TelegramClient({
    token,
    apiRoot,
    transformers,
    cache: new BotApiCache({ cache: cache('tg'), ttls: config.telegram.cache }),
    ...(config.telegram.botUsername ? { username: config.telegram.botUsername } : {}),
  });
  const publicBaseUrl = config.http.publicBaseUrl;
  const channels = new ChannelsService({
    pool: infra.db.pool,
    telegram: client,
    jobs,
    logger,
    publicBaseUrl,
  });
  const boosts = new BoostSet({ redis, keyPrefix, logger });
  return {
    token,
    apiRoot,
    transformers,
    client,
    channels,
    boosts,
    probe: new ChannelProbe({ telegram: client, publicBaseUrl }),
    avatars: new AvatarProxy({
      telegram: client,
      isKnownChat: (chat) => channels.isKnownChat(chat),
      logger,
    }),
    checkers: [
      new SubscriptionChecker({ telegram: client, channels }),
      new BoostChecker({ telegram: client, channels, boosts }),
    ],
  };
}

export function buildTelegramServices(
  infra: Infrastructure,
  core: TelegramCore,
  giveaways: ConstructorParameters<typeof NotificationsService>[0]['giveaways'] &
    ConstructorParameters<typeof ShareService>[0]['giveaways'],
  options: { animationUrl: string | undefined; tuning: TelegramTuning },
): TelegramServices {
  const { redis, keyPrefix, logger, jobs } = infra;
  const { tuning } = options;
  const notifications = new NotificationsService({
    pool: infra.db.pool,
    telegram: core.client,
    jobs,
    logger,
    giveaways,
    ...(tuning.notificationLeaseSec !== undefined ? { leaseSec: tuning.notificationLeaseSec } : {}),
  });
  const share = new ShareService({
    telegram: core.client,
    cache: new TtlCache({ redis, keyPrefix, namespace: 'share', logger }),
    giveaways,
    ...(options.animationUrl ? { animationUrl: options.animationUrl } : {}),
  });
  return {
    ...core,
    notifications,
    share,
    workOptions: tuning.workOptions,
    handlers: {
      ...channelsHandlers({ channels: core.channels, probe: core.probe }),
      ...notificationsHandlers({ notifications, share }),
      ...publicChannelsHandlers(core.avatars),
    },
  };
}
