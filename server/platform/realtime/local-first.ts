// This node's sockets first, then the cluster. socket.io-adapter's ClusterAdapter.broadcast (2.5) awaits
// the SPUBLISH reply before delivering to this node's own sockets; the reply is awaited only for an offset
// that connection state recovery uses, and the sharded adapter provides none. So every event reached the
// watchers on the relay's own node a Redis round trip late, and not at all while Redis hung. Here the
// publish is issued first (the adapter encodes the packet and queues SPUBLISH synchronously, before the
// local delivery stamps anything on it), then the local sockets get the event at once.
import { Adapter, MessageType, type BroadcastOptions, type ClusterAdapter } from 'socket.io-adapter';

/** A Socket.IO packet as adapters see it (the typings say `any`). */
type Packet = { nsp?: string; type: number; data: unknown[] };
type Publish = (message: { type: MessageType.BROADCAST; data: { packet: Packet; opts: object } }) => void;

/** Wraps an adapter constructor (what `createShardedAdapter` returns) so its broadcasts deliver locally first. */
export function deliverLocallyFirst<A extends ClusterAdapter, N>(create: (nsp: N) => A): (nsp: N) => A {
  // A function, not an arrow: Socket.IO calls it with `new`, and the object it returns becomes the adapter.
  return function (nsp: N): A {
    const adapter = create(nsp);
    // `publish` is protected in the typings; it is the adapter's own fire-and-forget publish, which logs
    // (through `debug`) rather than throws when Redis refuses.
    const publish = (adapter as unknown as { publish: Publish }).publish.bind(adapter);
    adapter.broadcast = (packet: Packet, opts: BroadcastOptions) => {
      if (!opts.flags?.local) {
        publish({
          type: MessageType.BROADCAST,
          data: {
            packet,
            opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags },
          },
        });
      }
      // Looked up at call time: fast-publish.ts may replace Adapter.prototype.broadcast after this ran.
      Adapter.prototype.broadcast.call(adapter, packet, opts);
      // The typings promise a Promise (the original awaits its publish); nothing here is left pending.
      return Promise.resolve();
    };
    return adapter;
  };
}
