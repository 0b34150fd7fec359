// Who may open a socket, decided at the Engine.IO handshake (both transports, also on the uWS server): the
// client IP as TRUST_PROXY defines it becomes the socket's `handshake.address`, and with limits on, one IP
// gets at most `maxPerIp` open connections on this node and `handshakes` per second. A refused client
// still completes the transport handshake so that its Socket.IO connect can be answered with a coded
// `connect_error` (data.code RATE_LIMITED, retry_after), which the SDK shows and does not retry in a loop;
// the connection is closed right after. An address that piles up connections without ever finishing the
// Socket.IO connect is refused outright at the transport once it holds twice its cap.
import type { ExtendedError, Socket } from 'socket.io';
import { clientIp, type PeerRequest, type TrustFn } from '../client-ip.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { rateLimitedError, type SocketLimits } from '../rate-limit/index.ts';

/** A refused connection that never sends its Socket.IO connect is closed after this long. */
const REFUSED_GRACE_MS = 2_000;
/** What a client over the concurrency cap is told to wait: sockets close at their own pace. */
const CONCURRENCY_RETRY_AFTER_SEC = 5;

interface EngineConn {
  request: (PeerRequest & { clientIp?: string; refusal?: AppError }) | null;
  remoteAddress: string;
  readyState: string;
  on(event: 'close', listener: (this: EngineConn) => void): void;
  close(): void;
}

export interface SocketAdmissionOptions {
  trust: TrustFn;
  /** undefined (RATE_LIMIT=off): client IPs are still resolved, nothing is capped. */
  limits: SocketLimits | undefined;
  logger: Logger;
}

export class SocketAdmission {
  private readonly open = new Map<string, number>();
  private readonly refused = new WeakMap<object, { error: AppError; timer: NodeJS.Timeout }>();
  /**
   * One `close` listener shared by every connection (`this` is the connection; engine.io emits `close` once):
   * a closure per connection, with `once`'s wrapper, was ~0.2 KB on every idle socket. The address it
   * counts under is the connection's own `remoteAddress`, which onConnection sets and nothing changes.
   */
  private readonly onClose: (this: EngineConn) => void;

  constructor(private readonly opts: SocketAdmissionOptions) {
    const open = this.open;
    const refused = this.refused;
    this.onClose = function (this: EngineConn) {
      clearTimeout(refused.get(this)?.timer);
      const ip = this.remoteAddress;
      const left = (open.get(ip) ?? 0) - 1;
      if (left > 0) open.set(ip, left);
      else open.delete(ip);
    };
  }

  /** Connections this node holds for `ip` (refused ones count until they close). */
  openFrom(ip: string): number {
    return this.open.get(ip) ?? 0;
  }

  /** Engine.IO `allowRequest`: runs once per new connection, before any transport state exists. */
  readonly allowRequest = (
    req: PeerRequest & { clientIp?: string; refusal?: AppError },
    callback: (err: string | null | undefined, success: boolean) => void,
  ): void => {
    const ip = clientIp(req, this.opts.trust);
    req.clientIp = ip;
    const limits = this.opts.limits;
    if (!limits) return callback(null, true);
    if (this.openFrom(ip) >= 2 * limits.maxPerIp) return callback('Too many connections', false);
    limits.handshakes.consume(ip).then(
      (decision) => {
        if (!decision.allowed) req.refusal = rateLimitedError(decision.retryAfterSec);
        callback(null, true);
      },
      (err: unknown) => {
        this.opts.logger.warn({ err }, 'Socket handshake budget unavailable; admitting');
        callback(null, true);
      },
    );
  };

  /** Engine.IO `connection`: counts the connection under its client IP and decides over the cap. */
  onConnection(conn: EngineConn): void {
    const ip = conn.request?.clientIp ?? conn.remoteAddress;
    conn.remoteAddress = ip; // Socket.IO's handshake.address, which per-IP join limits key on.
    const count = this.openFrom(ip) + 1;
    this.open.set(ip, count);
    const limits = this.opts.limits;
    const refusal = !limits
      ? undefined
      : (conn.request?.refusal ??
        (count > limits.maxPerIp ? tooManyConnections(limits.maxPerIp) : undefined));
    if (refusal) {
      const timer = setTimeout(() => conn.close(), REFUSED_GRACE_MS).unref();
      this.refused.set(conn, { error: refusal, timer });
    }
    conn.on('close', this.onClose);
  }

  /** First namespace middleware: a refused connection gets its coded connect_error, then is closed. */
  readonly middleware = (socket: Socket, next: (err?: ExtendedError) => void): void => {
    const refusal = this.refused.get(socket.conn)?.error;
    if (!refusal) return next();
    // After Socket.IO has written the CONNECT_ERROR packet (on the next tick); close() waits for it to flush.
    setImmediate(() => socket.conn.close());
    next(Object.assign(new Error(refusal.message), { data: refusal.toPayload() }));
  };
}

function tooManyConnections(max: number): AppError {
  const message = `Too many connections from this address (at most ${max})`;
  return new AppError('RATE_LIMITED', message, undefined, CONCURRENCY_RETRY_AFTER_SEC);
}
