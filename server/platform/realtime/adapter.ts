// The Socket.IO adapter: Redis 7 sharded pub/sub (SSUBSCRIBE, dynamic subscriptions) so a room's traffic
// reaches only the nodes that host it; the in-memory default in single-node mode.
import { createShardedAdapter } from '@socket.io/redis-adapter';
import type { RedisConfig } from '../../config/index.ts';
import type { Logger } from '../logger.ts';
import { createRedis, type Redis } from '../redis.ts';
import { deliverLocallyFirst } from './local-first.ts';

export interface AdapterHandle {
  adapter: ReturnType<typeof createShardedAdapter> | undefined;
  /** The adapter's publish and subscribe connections (what RedisPath watches); none in single-node mode. */
  clients: readonly Redis[];
  close(): Promise<void>;
}

export function createAdapter(redis: RedisConfig | null, logger: Logger, name: string): AdapterHandle {
  if (!redis) return { adapter: undefined, clients: [], close: () => Promise.resolve() };
  const pub: Redis = createRedis(redis, logger, `${name}:adapter-pub`, { waitForConnection: true });
  const sub: Redis = createRedis(redis, logger, `${name}:adapter-sub`, { waitForConnection: true });
  void pub.connect().catch(() => undefined);
  void sub.connect().catch(() => undefined);
  return {
    adapter: deliverLocallyFirst(
      createShardedAdapter(pub, sub, {
        // One Redis channel per room that has sockets here: a node without watchers of a giveaway gets none
        // of its traffic. The prefix keeps clusters sharing one Redis apart.
        channelPrefix: `${redis.keyPrefix}sio`,
        subscriptionMode: 'dynamic',
      }),
    ),
    clients: [pub, sub],
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
