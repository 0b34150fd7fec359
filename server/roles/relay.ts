// The relay: database changes to socket events and watcher presence, on nodes that run the gateway. Built at
// start because it needs the gateway's io, which exists once the gateway listens. With Redis, a local relay
// stands by on every node for when its Redis path is down.
import { LeaderLock } from '../platform/change-feed/index.ts';
import {
  ChangeRelay,
  LocalRelay,
  Presence,
  RELAY_LOCK_KEY,
  RoomEmitter,
  WatcherPublisher,
  relayMetrics,
} from '../relay/index.ts';
import type { Services } from './services.ts';
import type { Part } from './lifecycle.ts';
import type { RealtimeGateway } from './realtime-gateway.ts';

export function relayRole(services: Services, gateway: RealtimeGateway): Part {
  const { redis, keyPrefix, logger, metrics, db, feed, nodeId } = services;
  let running: { relay: ChangeRelay; local: LocalRelay | undefined; presence: Presence } | undefined;
  return {
    name: 'relay',
    start() {
      const io = gateway.server?.io;
      if (!io) return Promise.reject(new Error('The relay starts after the realtime gateway'));
      const presence = new Presence({ io, redis, keyPrefix, nodeId, logger });
      presence.start();
      if (!feed) return Promise.reject(new Error('The relay needs the change feed'));
      const meters = relayMetrics(metrics);
      const path = gateway.path;
      const emitter = new RoomEmitter({ io, logger, metrics: meters, ...(path ? { path } : {}) });
      // Not eligible until the feed's LISTEN is up: only a node that hears changes may lead.
      const lock = new LeaderLock({
        ...db.target,
        logger,
        lockKey: RELAY_LOCK_KEY,
        eligible: false,
        applicationName: `gw-relay-lock:${nodeId}`,
      });
      const watchers = new WatcherPublisher({ presence, pool: db.pool, emitter, logger, metrics: meters });
      const relay = new ChangeRelay({
        feed,
        lock,
        pool: db.pool,
        emitter,
        ...(path ? { path } : {}),
        watchers,
        logger,
        metrics: meters,
      });
      relay.start();
      // With Redis, each node serves its own rooms from PostgreSQL while the Redis path is down.
      const local = path
        ? new LocalRelay({
            feed,
            path,
            pool: db.pool,
            io,
            emitter: new RoomEmitter({ io, logger, metrics: meters, scope: 'local' }),
            logger,
            metrics: meters,
          })
        : undefined;
      local?.start();
      running = { relay, local, presence };
      return Promise.resolve();
    },
    // Runs before io closes (parts stop in reverse): hand leadership over at once.
    async stop() {
      await running?.relay.stop();
      await running?.local?.stop();
      await running?.presence.stop();
    },
  };
}
