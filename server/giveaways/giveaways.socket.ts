// Socket.IO commands of giveaways: subscribe (ack with a snapshot), unsubscribe, join (same batched path and
// rules as REST). One room per giveaway; the change relay broadcasts into it.
import type { Socket } from 'socket.io';
import {
  JoinPayload,
  SubscribePayload,
  roomOf,
  type ClientToServerEvents,
  type GiveawaySnapshot,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../../schema/contract/index.ts';
import { socketPrincipal } from '../auth/index.ts';
import type { JoinsService } from '../joins/index.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import { command, rejectUnknownEvents } from '../platform/realtime/socket-command.ts';
import type { SnapshotCache } from './snapshot-cache.ts';

type GiveawaySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface GiveawaysSocketDeps {
  joins: JoinsService;
  snapshots: SnapshotCache;
  logger: Logger;
  /** Throws RATE_LIMITED when a user or address joins too often. */
  limitJoin?(userId: number, address: string): Promise<void>;
  /** Told when a socket enters or leaves a giveaway room (watcher counts). */
  presence?: { joined(giveawayId: string): void; left(giveawayId: string): void };
  maxSubscriptionsPerSocket?: number;
}

const KNOWN = new Set(['giveaway:subscribe', 'giveaway:unsubscribe', 'giveaway:join']);
const ROOM_PREFIX = 'giveaway:';

export function registerGiveawaySocket(socket: GiveawaySocket, deps: GiveawaysSocketDeps): void {
  const maxSubscriptions = deps.maxSubscriptionsPerSocket ?? 50;
  const log = deps.logger;
  const address = socket.handshake.address;
  rejectUnknownEvents(socket, KNOWN);

  command(
    socket,
    'giveaway:subscribe',
    SubscribePayload,
    log,
    async ({ giveaway_id }): Promise<{ snapshot: GiveawaySnapshot }> => {
      const room = roomOf(giveaway_id);
      if (!socket.rooms.has(room) && subscriptionCount(socket) >= maxSubscriptions) {
        throw new AppError('RATE_LIMITED', `At most ${maxSubscriptions} giveaways per connection.`);
      }
      const snapshot = await deps.snapshots.get(giveaway_id);
      // Join after the snapshot read: every event emitted from now on is newer than or equal to it, and the
      // client drops events whose version is not above the snapshot's.
      if (!socket.rooms.has(room) && socket.connected) {
        await socket.join(room);
        deps.presence?.joined(giveaway_id);
      }
      return { snapshot };
    },
  );

  command(socket, 'giveaway:unsubscribe', SubscribePayload, log, async ({ giveaway_id }) => {
    const room = roomOf(giveaway_id);
    if (socket.rooms.has(room)) {
      await socket.leave(room);
      deps.presence?.left(giveaway_id);
    }
    return {};
  });

  command(socket, 'giveaway:join', JoinPayload, log, async ({ giveaway_id }) => {
    const principal = socketPrincipal(socket.data);
    if (!principal) throw new AppError('UNAUTHORIZED', 'Connect with initData or an API key to join.');
    await deps.limitJoin?.(principal.userId, address);
    // idempotency_key needs no storage: joining is idempotent by (giveaway, user) in the database.
    const status = await deps.joins.join(principal, giveaway_id, 'socket');
    return { status };
  });

  socket.on('disconnecting', () => {
    for (const room of socket.rooms) {
      if (room.startsWith(ROOM_PREFIX)) deps.presence?.left(room.slice(ROOM_PREFIX.length));
    }
  });
}

function subscriptionCount(socket: GiveawaySocket): number {
  let n = 0;
  for (const room of socket.rooms) if (room.startsWith(ROOM_PREFIX)) n++;
  return n;
}
