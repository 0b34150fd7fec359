// Room broadcasts without a per-socket loop. Socket.IO's uWS binding already encodes a broadcast once and
// hands it to uWS topic publish, but it then walks every socket of the room in JS to find the few on HTTP
// long-polling; with 5k–20k watchers in a room that walk was most of the JS time of a broadcast (profile
// of bench/fanout.bench.ts: in-memory-adapter `apply` ≈ 80 % of each broadcast). Here the long-polling
// sockets are tracked as they come and go (they leave the set when they upgrade to websocket), so a
// broadcast to one room with no exclusions costs one encode, one publish per frame, and one write per
// long-polling member. Anything else (several rooms, `except`, no uWS app) takes Socket.IO's own path.
import { Adapter, type BroadcastOptions } from 'socket.io-adapter';
import type { Namespace, Server, Socket } from 'socket.io';
import type { uWS } from './uws.ts';

/** Must match socket.io/dist/uws.js: the topic of room R in namespace N is `N\x1fR`. */
const SEPARATOR = '\x1f';

type Packet = { nsp?: string; type: number; data: unknown[] };
type Broadcast = (this: Adapter, packet: Packet, opts: BroadcastOptions) => void;
interface Target {
  app: uWS.TemplatedApp;
  polling: Map<Namespace, Set<Socket>>;
}

/** The uWS app and long-polling sockets per Socket.IO server; several servers may share a process (tests). */
const targets = new WeakMap<object, Target>();
let socketIoBroadcast: Broadcast | undefined;

/** Call after `io.attachApp(app)`, which installs Socket.IO's uWS broadcast that this one falls back to. */
export function installFastPublish(io: Server, app: uWS.TemplatedApp): void {
  const target: Target = { app, polling: new Map() };
  targets.set(io, target);
  const track = (nsp: Namespace) => {
    const set = new Set<Socket>();
    target.polling.set(nsp, set);
    nsp.on('connection', (socket: Socket) => {
      if (socket.conn.transport.name === 'websocket') return;
      set.add(socket);
      socket.conn.once('upgrade', () => set.delete(socket));
      socket.once('disconnect', () => set.delete(socket));
    });
  };
  track(io.of('/'));
  io.on('new_namespace', track);

  const proto = Adapter.prototype as unknown as { broadcast: Broadcast };
  const current = proto.broadcast;
  if (current === fastBroadcast) return;
  socketIoBroadcast = current;
  proto.broadcast = fastBroadcast;
}

function fastBroadcast(this: Adapter, packet: Packet, opts: BroadcastOptions): void {
  const fallback = socketIoBroadcast;
  if (!fallback) return;
  // Socket.IO's close() puts the in-memory broadcast back; a stale patch must not publish to a closed app.
  const nsp = this.nsp as Namespace;
  const target = targets.get(nsp.server);
  const polling = target?.polling.get(nsp);
  if (!target || !polling || opts.rooms.size !== 1 || (opts.except?.size ?? 0) !== 0) {
    fallback.call(this, packet, opts);
    return;
  }
  const room = opts.rooms.values().next().value as string;
  packet.nsp = nsp.name;
  const encoded = (this as unknown as { encoder: { encode(p: Packet): (string | Buffer)[] } }).encoder.encode(
    packet,
  );
  const topic = `${nsp.name}${SEPARATOR}${room}`;
  for (const frame of encoded) {
    // "4" is the Engine.IO message type; binary frames carry it in the websocket opcode instead.
    if (typeof frame === 'string') target.app.publish(topic, `4${frame}`, false);
    else target.app.publish(topic, frame, true);
  }
  if (polling.size === 0) return;
  const members = this.rooms.get(room);
  if (!members) return;
  const flags = opts.flags ?? {};
  const packetOpts = { preEncoded: true, volatile: flags.volatile, compress: flags.compress };
  for (const socket of polling) {
    if (members.has(socket.id) && socket.conn.transport.name !== 'websocket') {
      (
        socket as unknown as { client: { writeToEngine(p: unknown[], o: object): void } }
      ).client.writeToEngine(encoded, packetOpts);
    }
  }
}
