// Two things engine.io keeps per websocket connection that this server never uses, dropped through the
// engine instance Socket.IO's `attachApp` created (engine.io exposes no option for either). Profiled with
// bench/fanout.bench.ts BENCH_HEAP_SNAPSHOTS (2026-12-06): together ~0.7 KB of a 7.3 KB idle connection.
//
// 1. Middlewares on websocket upgrades. With any engine middleware registered (the `cors` option registers
//    one), engine.io's uWS server wraps every request's response in a ResponseWrapper, and for an upgrade
//    keeps it in the websocket's user data for the connection's whole life (to emit `close` on it for
//    session-style middlewares): its buffered header list, listener dictionary and the uWS response, ~0.6 KB.
//    CORS headers mean nothing on a 101 response (browsers do not apply CORS to websockets), so upgrades skip
//    the middlewares; long-polling requests, where CORS matters, still run them.
// 2. The transport's `headers` listener, which relays long-polling response headers to the server's
//    `headers` event (cookies, user hooks). A websocket transport never emits it (the upgrade's headers are
//    emitted by the server itself), so on a websocket connection it is a closure that never runs.
import type { Server } from 'socket.io';

type Middlewares = (
  req: { headers?: Record<string, string> },
  res: unknown,
  next: (err?: unknown) => void,
) => void;

interface EngineInternals {
  _applyMiddlewares: Middlewares;
}

interface EngineConn {
  transport: { name: string; removeAllListeners(event: string): void };
}

/** Call once, right after `io.attachApp(app)`. */
export function leanEngine(io: Server): void {
  const engine = io.engine as unknown as EngineInternals;
  const applyMiddlewares = engine._applyMiddlewares.bind(engine);
  engine._applyMiddlewares = (req, res, next) => {
    if (req.headers?.upgrade?.toLowerCase() === 'websocket') return next();
    applyMiddlewares(req, res, next);
  };
  io.engine.on('connection', (conn: EngineConn) => {
    if (conn.transport.name === 'websocket') conn.transport.removeAllListeners('headers');
  });
}
