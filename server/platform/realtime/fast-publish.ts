// Room broadcasts without a per-socket loop, and uWS topics only where a broadcast uses them.
//
// Socket.IO's uWS binding (socket.io/dist/uws.js, installed by `io.attachApp`) encodes a broadcast once and
// hands it to uWS topic publish, but it then walks every socket of the room in JS to find the few on HTTP
// long-polling; with 5k–20k watchers in a room that walk was most of the JS time of a broadcast (profile of
// bench/fanout.bench.ts: in-memory-adapter `apply` ≈ 80 % of each broadcast). Here the long-polling sockets
// are tracked as they come and go (they leave the set when they upgrade to websocket), so a broadcast to one
// room with no exclusions costs one encode, one publish per frame, and one write per long-polling member.
//
// The binding also subscribes every websocket to a uWS topic per room it is in, its own id room included,
// plus one for the whole namespace. Broadcasts here go to giveaway rooms only, never to one socket's id room
// nor to a whole namespace, yet those two topics cost native memory on every idle connection (RSS per idle
// connection at 5k watchers: median 5.4 KB with them, 4.7 KB without, six runs each: bench/README.md). So a
// websocket is subscribed to the rooms it joins except its own id room, and a broadcast to an id room, to a
// namespace, to several rooms or with exclusions takes the in-memory adapter's per-socket path, which
// reaches websocket and long-polling sockets alike.
import { Adapter, type BroadcastOptions } from 'socket.io-adapter';
import type { Namespace, Server, Socket } from 'socket.io';
import type { uWS } from './uws.ts';

/** Must match socket.io/dist/uws.js: the topic of room R in namespace N is `N\x1fR`. */
const SEPARATOR = '\x1f';

type Packet = { nsp?: string; type: number; data: unknown[] };
type Broadcast = (this: Adapter, packet: Packet, opts: BroadcastOptions) => void;
type AddAll = (this: Adapter, id: string, rooms: Set<string>) => Promise<void> | void;
type Del = (this: Adapter, id: string, room: string) => Promise<void> | void;
type DelAll = (this: Adapter, id: string) => void;
interface Target {
  app: uWS.TemplatedApp;
  polling: Map<Namespace, Set<Socket>>;
}
/** What this module reads of a socket's engine connection: its transport and, on websocket, the uWS socket. */
interface Conn {
  readyState: string;
  transport: { name: string; socket?: Pick<uWS.WebSocket<unknown>, 'subscribe' | 'unsubscribe'> };
}

const proto = Adapter.prototype as unknown as {
  addAll: AddAll;
  del: Del;
  delAll: DelAll;
  broadcast: Broadcast;
};
/**
 * The in-memory adapter's own methods, taken when this module loads: Socket.IO replaces addAll, del and broadcast
 * on the shared prototype inside `io.attachApp` (after every import) and puts them back on `io.close()`; it never
 * replaces delAll. Ours fall through to these for a server not attached here (`targets`).
 */
const inMemory = { addAll: proto.addAll, del: proto.del, delAll: proto.delAll, broadcast: proto.broadcast };

/** The uWS app and long-polling sockets per Socket.IO server; several servers may share a process (tests). */
const targets = new WeakMap<object, Target>();

const topicOf = (nsp: Namespace, room: string) => `${nsp.name}${SEPARATOR}${room}`;

/** The topics of a socket's rooms: each room but its own id room. */
function roomTopics(nsp: Namespace, id: string, rooms: Iterable<string>): string[] {
  const topics: string[] = [];
  for (const room of rooms) if (room !== id) topics.push(topicOf(nsp, room));
  return topics;
}

/**
 * Call after `io.attachApp(app)`: replaces the broadcast and room subscriptions it installed. Call what it
 * returns before closing `app`: the server's broadcasts then take the per-socket path, never the closed app.
 */
export function installFastPublish(io: Server, app: uWS.TemplatedApp): () => void {
  const target: Target = { app, polling: new Map() };
  targets.set(io, target);
  const track = (nsp: Namespace) => {
    const set = new Set<Socket>();
    target.polling.set(nsp, set);
    nsp.on('connection', (socket: Socket) => {
      if (socket.conn.transport.name === 'websocket') return;
      set.add(socket);
      socket.conn.once('upgrade', () => {
        set.delete(socket);
        // Rooms joined on long-polling get their topics once there is a websocket to subscribe.
        const ws = (socket.conn as unknown as Conn).transport.socket;
        for (const topic of roomTopics(nsp, socket.id, socket.rooms)) ws?.subscribe(topic);
      });
      socket.once('disconnect', () => set.delete(socket));
    });
  };
  track(io.of('/'));
  io.on('new_namespace', track);
  proto.addAll = topicAddAll;
  proto.del = topicDel;
  proto.delAll = topicDelAll;
  proto.broadcast = fastBroadcast;
  return () => targets.delete(io);
}

/** The websocket of socket `id` when its server is one of ours, i.e. attached to a uWS app here. */
function websocketOf(adapter: Adapter, id: string) {
  const nsp = adapter.nsp as Namespace;
  if (!targets.has(nsp.server)) return undefined;
  // Sockets still in their connection middlewares are kept apart from `sockets` (Socket.IO 4.8).
  const preConnect = (nsp as unknown as { _preConnectSockets?: Map<string, Socket> })._preConnectSockets;
  const socket = nsp.sockets.get(id) ?? preConnect?.get(id);
  const conn = socket?.conn as unknown as Conn | undefined;
  // A closed uWS socket throws on any call (and uWS dropped its topics when it closed).
  return conn?.readyState === 'open' && conn.transport.name === 'websocket'
    ? conn.transport.socket
    : undefined;
}

function topicAddAll(this: Adapter, id: string, rooms: Set<string>): Promise<void> | void {
  const done = inMemory.addAll.call(this, id, rooms);
  const ws = websocketOf(this, id);
  if (ws) for (const topic of roomTopics(this.nsp as Namespace, id, rooms)) ws.subscribe(topic);
  return done;
}

function topicDel(this: Adapter, id: string, room: string): Promise<void> | void {
  const done = inMemory.del.call(this, id, room);
  for (const topic of roomTopics(this.nsp as Namespace, id, [room]))
    websocketOf(this, id)?.unsubscribe(topic);
  return done;
}

/**
 * Leaving every room: on a disconnect, or when the client leaves the namespace but keeps its connection ("41",
 * then maybe "40" again). Socket.IO's binding left the websocket subscribed in that second case, so a client
 * could gather any number of room topics on one connection, past the per-socket subscription cap.
 */
function topicDelAll(this: Adapter, id: string): void {
  const ws = websocketOf(this, id);
  // Read before the rooms are gone.
  const topics = ws ? roomTopics(this.nsp as Namespace, id, this.sids.get(id) ?? []) : [];
  inMemory.delAll.call(this, id);
  for (const topic of topics) ws?.unsubscribe(topic);
}

function fastBroadcast(this: Adapter, packet: Packet, opts: BroadcastOptions): void {
  const nsp = this.nsp as Namespace;
  const target = targets.get(nsp.server);
  const polling = target?.polling.get(nsp);
  const room = opts.rooms.size === 1 ? (opts.rooms.values().next().value as string) : undefined;
  // No topic carries an id room (`this.sids` is keyed by socket id) or a whole namespace (no room).
  if (!target || !polling || room === undefined || this.sids.has(room) || (opts.except?.size ?? 0) !== 0) {
    inMemory.broadcast.call(this, packet, opts);
    return;
  }
  packet.nsp = nsp.name;
  const encoded = (this as unknown as { encoder: { encode(p: Packet): (string | Buffer)[] } }).encoder.encode(
    packet,
  );
  const topic = topicOf(nsp, room);
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
