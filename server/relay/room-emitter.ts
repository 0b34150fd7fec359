// Sends relay events into giveaway rooms. The hot path: one room, no except(), so Socket.IO on uWS publishes
// natively and the sharded adapter reaches only the nodes hosting the room. While the Redis path is down the
// adapter would hold every broadcast (local sockets included) until its publish went through, so events then
// go to this node's sockets only; the other nodes' local relays serve theirs.
import { roomOf } from '../../schema/contract/realtime.ts';
import type { Logger } from '../platform/logger.ts';
import type { DeliveryPath } from '../platform/realtime/index.ts';
import type { RealtimeServer } from './realtime-server.ts';
import type { RelayMetrics } from './relay-metrics.ts';
import type { RoomEvent } from './state-diff.ts';

export interface RoomEmitterOptions {
  io: RealtimeServer;
  logger: Logger;
  metrics: RelayMetrics;
  /**
   * 'cluster' (default): through the adapter to every node hosting the room, or this node only while `path`
   * is local. 'local': this node's sockets only (the local relay).
   */
  scope?: 'cluster' | 'local';
  /** The node's Redis path; without one (single node, in-memory adapter) cluster emits always go out. */
  path?: DeliveryPath;
  /** Told of every event handed to Socket.IO (benchmarks and tests count them; must not throw). */
  onEmitted?: (giveawayId: string, event: RoomEvent) => void;
}

export class RoomEmitter {
  private readonly log: Logger;

  constructor(private readonly opts: RoomEmitterOptions) {
    this.log = opts.logger.child({ module: 'room-emitter' });
  }

  /** Never throws: an adapter failure (e.g. Redis away) must not stop the other rooms' events. */
  send(giveawayId: string, e: RoomEvent): void {
    try {
      const local = this.opts.scope === 'local' || this.opts.path?.mode === 'local';
      const room = (local ? this.opts.io.local : this.opts.io).to(roomOf(giveawayId));
      const target = e.volatile ? room.volatile : room;
      // The union is correlated by construction (RoomEvent pairs each name with its payload).
      (target.emit as (event: string, payload: unknown) => boolean)(e.event, e.payload);
      this.opts.metrics.emitted(e.event, local ? 'local' : 'cluster');
      this.opts.onEmitted?.(giveawayId, e);
    } catch (err) {
      this.opts.metrics.failed('emit');
      this.log.warn({ err: (err as Error).message, event: e.event }, 'Emit failed');
    }
  }
}
