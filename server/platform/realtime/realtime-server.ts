// The realtime role's server: Socket.IO 4.8 attached to a uWebSockets.js app on REALTIME_PORT, with
// compression off, small payload limits, CORS from SERVER_ORIGIN, and the handshake request, headers and
// credentials dropped after connect (they pin memory per connection). Both websocket and polling transports are served.
import { Server, type Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../../schema/contract/index.ts';
import type { Logger } from '../logger.ts';
import type { AdapterHandle } from './adapter.ts';
import { installFastPublish } from './fast-publish.ts';
import { leanEngine } from './lean-engine.ts';
import type { SocketAdmission } from './socket-admission.ts';
import { assertNativeUws } from './uws.ts';

export type RealtimeIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface RealtimeServer {
  io: RealtimeIo;
  port: number;
  close(): Promise<void>;
}

type Handshake = Socket['handshake'];

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/**
 * What a socket keeps of its handshake once middlewares ran (on `connection`). The headers, query and
 * credentials (initData, API key) would otherwise stay in memory for the connection's whole life: here they
 * are one frozen empty object on the prototype. `time` (a ~60-character string per socket) is derived from
 * `issued`, which Socket.IO takes at the same moment. Only the address is read after connect (per-IP limits).
 */
class KeptHandshake implements Handshake {
  declare headers: Handshake['headers'];
  declare query: Handshake['query'];
  declare auth: Handshake['auth'];
  address: string;
  xdomain: boolean;
  secure: boolean;
  issued: number;
  url: string;

  constructor(h: Handshake) {
    this.address = h.address;
    this.xdomain = h.xdomain;
    this.secure = h.secure;
    this.issued = h.issued;
    this.url = h.url;
  }

  get time(): string {
    return new Date(this.issued).toString();
  }
}
Object.assign(KeptHandshake.prototype, { headers: EMPTY, query: EMPTY, auth: EMPTY });

/** Commands are tiny JSON objects; anything bigger is hostile. */
export const MAX_SOCKET_PAYLOAD_BYTES = 16 * 1024;

export async function startRealtimeServer(opts: {
  port: number;
  origin: string;
  adapter: AdapterHandle;
  logger: Logger;
  /** Resolves client IPs (TRUST_PROXY) and applies the per-IP caps, on every new connection. */
  admission: SocketAdmission;
  setup(io: RealtimeIo): void;
}): Promise<RealtimeServer> {
  const uWS = assertNativeUws();
  const app = uWS.App();
  const io: RealtimeIo = new Server({
    cors: { origin: opts.origin === '*' ? true : opts.origin, methods: ['GET', 'POST'] },
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    perMessageDeflate: false,
    httpCompression: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    connectTimeout: 10_000,
    serveClient: false,
    allowRequest: opts.admission.allowRequest,
    ...(opts.adapter.adapter ? { adapter: opts.adapter.adapter } : {}),
  });
  io.attachApp(app, { compression: uWS.DISABLED, maxBackpressure: 1024 * 1024, idleTimeout: 0 } as never);
  const releaseFastPublish = installFastPublish(io as never, app);
  leanEngine(io as never);
  io.engine.on('connection', (raw: Parameters<SocketAdmission['onConnection']>[0]) => {
    opts.admission.onConnection(raw);
    raw.request = null;
  });
  // Before any other middleware (auth included): a refused connection costs no database work.
  io.use(opts.admission.middleware);
  // Middlewares (auth) have read the handshake by `connection`.
  io.on('connection', (socket) => {
    // Socket.IO types `handshake` read-only; it is a plain property, written once here.
    (socket as { handshake: Handshake }).handshake = new KeptHandshake(socket.handshake);
  });
  app.get('/live', (res) => {
    res.writeHeader('content-type', 'application/json').end('{"status":"ok"}');
  });
  opts.setup(io);
  const token = await new Promise<unknown>((resolve, reject) => {
    app.listen(opts.port, (t) =>
      t ? resolve(t) : reject(new Error(`Cannot listen on REALTIME_PORT ${opts.port}`)),
    );
  });
  const port = uWS.us_socket_local_port(token as never);
  opts.logger.info(
    { port, adapter: opts.adapter.adapter ? 'redis-sharded' : 'in-memory' },
    'Realtime listening',
  );
  return {
    io,
    port,
    async close() {
      releaseFastPublish();
      uWS.us_listen_socket_close(token as never);
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      await opts.adapter.close();
    },
  };
}
