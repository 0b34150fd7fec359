// The realtime role's gateway: Socket.IO on its own port, authenticated sockets, giveaway rooms and joins.
import { SocketSessions, socketAuth } from '../auth/index.ts';
import { giveawaySocketHandlers } from '../giveaways/index.ts';
import { compileTrust } from '../platform/client-ip.ts';
import {
  attachRouter,
  RedisPath,
  SocketAdmission,
  commandRouter,
  createAdapter,
  setCommandGate,
  startRealtimeServer,
  type DeliveryPath,
  type RealtimeServer,
} from '../platform/realtime/index.ts';
import type { Services } from './services.ts';
import type { Part } from './lifecycle.ts';

export interface RealtimeGateway extends Part {
  /** Set once started. */
  readonly server: RealtimeServer | undefined;
  /** Whether the adapter's Redis connections work (set once started; none in single-node mode). */
  readonly path: DeliveryPath | undefined;
}

export function realtimeGateway(services: Services): RealtimeGateway {
  const { config, logger, auth, joins, snapshots, rateLimits, metrics } = services;
  let server: RealtimeServer | undefined;
  let path: RedisPath | undefined;
  const sessions = new SocketSessions({ auth, logger, feed: services.feed });
  return {
    name: 'realtime',
    get server() {
      return server;
    },
    get path() {
      return path;
    },
    async start() {
      const adapter = createAdapter(config.redis, logger, services.name);
      path =
        adapter.clients.length > 0 ? new RedisPath({ clients: adapter.clients, logger, metrics }) : undefined;
      server = await startRealtimeServer({
        port: config.realtime.port,
        origin: config.http.origin,
        adapter,
        logger,
        admission: new SocketAdmission({
          trust: compileTrust(config.trustProxy),
          limits: rateLimits.socket,
          logger: logger.child({ module: 'socket-admission' }),
        }),
        setup(io) {
          io.use(socketAuth(auth));
          setCommandGate(io, sessions.gate);
          sessions.start();
          // Built once for all sockets: a closure, listener or child logger per connection is memory on every
          // watcher. One router dispatches every command (socket-command.ts).
          const giveaways = giveawaySocketHandlers({
            joins,
            snapshots,
            logger: logger.child({ module: 'socket' }),
            limitJoin: (userId, ip) => rateLimits.join.consume({ userId, ip }),
          });
          const router = commandRouter([...sessions.commands, ...giveaways.commands]);
          io.on('connection', (socket) => {
            sessions.connect(socket);
            attachRouter(socket, router);
            giveaways.connect(socket);
          });
        },
      });
      path?.start();
    },
    stop: () => {
      sessions.stop();
      path?.stop();
      return server ? server.close() : Promise.resolve();
    },
  };
}
