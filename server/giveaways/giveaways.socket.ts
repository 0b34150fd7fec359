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
import { defineCommand, type SocketCommand } from '../platform/realtime/socket-command.ts';
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

const ROOM_PREFIX = 'giveaway:';

export interface GiveawaySocketHandlers {
  /** For the gateway's command router (built once, shared by every socket). */
  commands: ReadonlyArray<SocketCommand<GiveawaySocket>>;
  /** Call on each connection: nothing per socket unless presence is wired. */
  connect(socket: GiveawaySocket): void;
}

/** Builds the giveaway commands once; dispatching them costs no closure or listener per socket. */
export function giveawaySocketHandlers(deps: GiveawaysSocketDeps): GiveawaySocketHandlers {
  const maxSubscriptions = deps.maxSubscriptionsPerSocket ?? 50;
  const log = deps.logger;

  const subscribe = defineCommand(
    'giveaway:subscribe',
    SubscribePayload,
    log,
    (socket: GiveawaySocket, { giveaway_id }): Promise<{ snapshot: GiveawaySnapshot }> =>
      inOrder(socket, async () => {
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
      }),
  );

  const unsubscribe = defineCommand(
    'giveaway:unsubscribe',
    SubscribePayload,
    log,
    (socket: GiveawaySocket, { giveaway_id }) =>
      inOrder(socket, async () => {
        const room = roomOf(giveaway_id);
        if (socket.rooms.has(room)) {
          await socket.leave(room);
          deps.presence?.left(giveaway_id);
        }
        return {};
      }),
  );

  const join = defineCommand(
    'giveaway:join',
    JoinPayload,
    log,
    async (socket: GiveawaySocket, { giveaway_id }) => {
      // Current standing (ban, revoked key) was checked before this handler; expiry is checked here.
      const principal = socketPrincipal(socket.data);
      if (!principal) throw new AppError('UNAUTHORIZED', 'Connect with initData or an API key to join.');
      await deps.limitJoin?.(principal.userId, socket.handshake.address);
      // idempotency_key needs no storage: joining is idempotent by (giveaway, user) in the database.
      const status = await deps.joins.join(principal, giveaway_id, 'socket');
      return { status };
    },
  );

  const commands = [subscribe, unsubscribe, join];
  function disconnecting(this: GiveawaySocket): void {
    for (const room of this.rooms) {
      if (room.startsWith(ROOM_PREFIX)) deps.presence?.left(room.slice(ROOM_PREFIX.length));
    }
  }

  // Without presence (the gateway's case: watcher counts are read from the adapter's rooms) a `disconnecting`
  // listener would do nothing, yet cost an entry in every socket's listener dictionary.
  const presence = deps.presence;
  return {
    commands,
    connect(socket) {
      if (presence) socket.on('disconnecting', disconnecting);
    },
  };
}

/**
 * Subscribe and unsubscribe of one socket take effect in the order they were sent: a subscribe waits for its
 * snapshot, so without this an unsubscribe sent after it could run first and leave the socket in the room.
 * The chain is dropped once it settles, so an idle socket keeps nothing here.
 */
const roomOps = new WeakMap<GiveawaySocket, Promise<unknown>>();
function inOrder<T>(socket: GiveawaySocket, op: () => Promise<T>): Promise<T> {
  const result = (roomOps.get(socket) ?? Promise.resolve()).then(op);
  const tail = result.catch(() => undefined);
  roomOps.set(socket, tail);
  void tail.then(() => {
    if (roomOps.get(socket) === tail) roomOps.delete(socket);
  });
  return result;
}

function subscriptionCount(socket: GiveawaySocket): number {
  let n = 0;
  for (const room of socket.rooms) if (room.startsWith(ROOM_PREFIX)) n++;
  return n;
}
