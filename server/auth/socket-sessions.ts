// Sessions of authenticated sockets end when trust ends. A socket copies its principal at the handshake, so
// without this a ban, a key revocation or an init-data expiry would never reach an open connection:
// - a ban or revocation commits with a NOTIFY (auth.service); every realtime node hears it on its change feed
//   and tells each socket of that principal why (`session:ended`), then disconnects it;
// - every command re-checks the principal's standing (auth.standing, cached briefly, cleared by notices);
// - init-data stops acting at auth_date + INIT_DATA_TTL (`session:expiring` shortly before, `session:expired`
//   at that moment) unless the client sends fresh init-data with `auth:refresh`.
// Sockets are indexed here per user and per key rather than put in Socket.IO rooms: with the sharded adapter
// every room costs a Redis subscription on every node, and the notice already reaches every node.
//
// Memory per open session is kept to entries in shared structures: the standing check is the server's command
// gate (not a `socket.use` closure), the `disconnect` listener is one function for all sockets, and the
// expiry warning and the expiry are entries in one DeadlineWheel (not two timers with closures per socket);
// both deadlines are derived from `socket.data.expiresAt` when needed.
import type { Socket } from 'socket.io';
import {
  AuthRefreshPayload,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../../schema/contract/index.ts';
import type { ChangeFeed } from '../platform/change-feed/index.ts';
import { DeadlineWheel } from '../platform/deadline-wheel.ts';
import { AppError, toAppError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import { defineCommand, type SocketCommand } from '../platform/realtime/socket-command.ts';
import { PRINCIPAL_CHANNEL, type PrincipalNotice } from './auth.queries.ts';
import type { AuthService, Standing } from './auth.service.ts';
import { socketPrincipal } from './auth.socket.ts';

type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface SocketSessionsOptions {
  auth: AuthService;
  logger: Logger;
  /** The node's LISTEN connection; without one only standing checks per command end sessions. */
  feed: ChangeFeed | undefined;
  /** How long before expiry `session:expiring` is sent. Default 60 s. */
  warnBeforeMs?: number;
}

/** DeadlineWheel kinds: within one slot the warning goes first. */
const WARNING = 0;
const EXPIRY = 1;

export class SocketSessions {
  private readonly byUser = new Map<number, Sockets>();
  private readonly byKey = new Map<string, Sockets>();
  private readonly deadlines: DeadlineWheel<SessionSocket>;
  private readonly log: Logger;
  private readonly warnBeforeMs: number;
  private unsubscribe: Array<() => void> = [];
  /** For the gateway's command router (shared by every socket: nothing allocated per connection for them). */
  readonly commands: ReadonlyArray<SocketCommand<SessionSocket>>;
  private readonly onDisconnect: (this: SessionSocket) => void;

  constructor(private readonly opts: SocketSessionsOptions) {
    this.log = opts.logger.child({ module: 'sessions' });
    this.warnBeforeMs = opts.warnBeforeMs ?? 60_000;
    this.commands = [this.refreshCommand()];
    this.deadlines = new DeadlineWheel((socket, kind) => this.due(socket, kind));
    const forget = (socket: SessionSocket) => this.forget(socket);
    this.onDisconnect = function (this: SessionSocket) {
      forget(this);
    };
  }

  /** Listens for principal notices; after a LISTEN reconnect re-checks every open session (notices may be lost). */
  start(): void {
    const feed = this.opts.feed;
    if (!feed) return;
    this.unsubscribe = [
      feed.onNotice(PRINCIPAL_CHANNEL, (payload) => this.onNotice(payload)),
      feed.onReconnect(() => void this.recheckAll()),
    ];
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.deadlines.clear();
  }

  /**
   * Call on `connection`, before the capability handlers: indexes the socket. Commands (`commands` and every
   * capability's) are guarded by `gate`, which the gateway installs with setCommandGate.
   */
  connect(socket: SessionSocket): void {
    const data = socket.data;
    if (data.via === 'viewer' || data.userId === null) return;
    add(this.byUser, data.userId, socket);
    if (data.apiKeyId) add(this.byKey, data.apiKeyId, socket);
    this.schedule(socket);
    socket.on('disconnect', this.onDisconnect);
  }

  /**
   * The command gate: every command but `auth:refresh` runs only if its caller still has its standing (expiry
   * is the command's business). A lost standing is answered with its code, then the session ends.
   */
  readonly gate = (socket: Socket): Promise<void> | undefined => {
    const principal = socketPrincipal(socket.data as SocketData, 0);
    if (!principal) return undefined;
    return this.opts.auth.standing(principal).then(
      (standing) => {
        if (standing.ok) return;
        // After the refusal is answered (the command's reply is sent before the next macrotask).
        setImmediate(() => this.end(socket as SessionSocket, standing));
        throw new AppError(standing.code, standing.reason);
      },
      (err: unknown) => {
        // Fail closed: a command whose caller cannot be checked is not run.
        const error = toAppError(err);
        if (error.code === 'INTERNAL') this.log.error({ err }, 'Standing check failed');
        throw new AppError(error.code === 'INTERNAL' ? 'UNAVAILABLE' : error.code, error.message);
      },
    );
  };

  /** The socket's `disconnect`: out of the indexes and the deadlines (`data` still says where it is). */
  private forget(socket: SessionSocket): void {
    const data = socket.data;
    if (data.userId !== null) remove(this.byUser, data.userId, socket);
    if (data.apiKeyId) remove(this.byKey, data.apiKeyId, socket);
    this.unschedule(socket);
  }

  /** `auth:refresh`: fresh init-data of the same user moves the socket's expiry; anything else changes nothing. */
  private refreshCommand(): SocketCommand<SessionSocket> {
    return defineCommand(
      'auth:refresh',
      AuthRefreshPayload,
      this.log,
      async (socket: SessionSocket, { init_data }) => {
        const data = socket.data;
        const userId = data.userId;
        if (data.via !== 'init-data' || userId === null)
          throw new AppError('FORBIDDEN', 'Only a socket opened with initData can refresh it.');
        const fresh = await this.opts.auth.fromInitData(init_data);
        if (fresh.userId !== userId)
          throw new AppError('FORBIDDEN', 'The init-data belongs to another user; open a new connection.');
        if (fresh.isBanned) {
          setImmediate(() =>
            this.end(socket, { ok: false, code: 'USER_BANNED', reason: 'Your account is banned.' }),
          );
          throw new AppError('USER_BANNED', 'Your account is banned.');
        }
        data.isAdmin = fresh.isAdmin;
        this.unschedule(socket);
        data.expiresAt = Math.max(data.expiresAt ?? 0, fresh.expiresAt ?? 0);
        this.schedule(socket);
        return { expires_at: new Date(data.expiresAt).toISOString() };
      },
      // Refreshing is how an expired session goes on; its standing is checked by fromInitData.
      { ungated: true },
    );
  }

  /** Open authenticated sockets on this node (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const entry of this.byUser.values()) n += entry instanceof Set ? entry.size : 1;
    return n;
  }

  private onNotice(payload: unknown): void {
    const notice = parseNotice(payload);
    if (!notice) return;
    this.opts.auth.forget(notice);
    if (notice.kind === 'user' && notice.status === 'banned') {
      this.endAll(this.byUser.get(notice.user_id), {
        ok: false,
        code: 'USER_BANNED',
        reason: 'Your account is banned.',
      });
    }
    if (notice.kind === 'api-key') {
      this.endAll(this.byKey.get(notice.api_key_id), {
        ok: false,
        code: 'API_KEY_INVALID',
        reason: 'The API key was revoked.',
      });
    }
  }

  private async recheckAll(): Promise<void> {
    this.opts.auth.forgetAll();
    if (this.byUser.size === 0) return;
    try {
      const lost = await this.opts.auth.lostStanding([...this.byUser.keys()], [...this.byKey.keys()]);
      for (const id of lost.bannedUsers)
        this.endAll(this.byUser.get(id), {
          ok: false,
          code: 'USER_BANNED',
          reason: 'Your account is banned.',
        });
      for (const id of lost.revokedKeys)
        this.endAll(this.byKey.get(id), {
          ok: false,
          code: 'API_KEY_INVALID',
          reason: 'The API key was revoked.',
        });
    } catch (err) {
      // Commands still check standing one by one; this sweep only makes the end prompt.
      this.log.warn({ err: (err as Error).message }, 'Could not re-check open sessions');
    }
  }

  private endAll(sockets: Sockets | undefined, why: Exclude<Standing, { ok: true }>): void {
    const list = sockets instanceof Set ? [...sockets] : sockets ? [sockets] : [];
    for (const socket of list) this.end(socket, why);
  }

  /** Tells the client why, then closes: engine.io flushes the event before it closes the transport. */
  private end(socket: SessionSocket, why: Exclude<Standing, { ok: true }>): void {
    if (!socket.connected) return;
    this.log.info({ userId: socket.data.userId, code: why.code }, 'Session ended');
    socket.emit('session:ended', { code: why.code, reason: why.reason });
    socket.disconnect(true);
  }

  /**
   * Arms the expiry warning and the expiry of an init-data socket, from `data.expiresAt`. A socket that is
   * already gone is not armed: the wheel would keep it until its deadline.
   */
  private schedule(socket: SessionSocket): void {
    const expiresAt = socket.data.expiresAt;
    if (socket.data.via !== 'init-data' || expiresAt === null || !socket.connected) return;
    this.deadlines.add(socket, WARNING, expiresAt - this.warnBeforeMs);
    this.deadlines.add(socket, EXPIRY, expiresAt);
  }

  /** Disarms what schedule() armed; call before `data.expiresAt` changes. */
  private unschedule(socket: SessionSocket): void {
    const expiresAt = socket.data.expiresAt;
    if (socket.data.via !== 'init-data' || expiresAt === null) return;
    this.deadlines.delete(socket, WARNING, expiresAt - this.warnBeforeMs);
    this.deadlines.delete(socket, EXPIRY, expiresAt);
  }

  /** A deadline passed (never before the moment it names: the wheel runs a slot once the clock reached it). */
  private due(socket: SessionSocket, kind: number): void {
    const expiresAt = socket.data.expiresAt;
    if (expiresAt === null) return;
    try {
      if (kind === WARNING) {
        socket.emit('session:expiring', { expires_at: new Date(expiresAt).toISOString() });
      } else {
        socket.emit('session:expired', {
          code: 'INIT_DATA_EXPIRED',
          reason: 'Telegram init-data has expired; send auth:refresh with fresh init-data to act again.',
        });
      }
    } catch (err) {
      this.log.error({ err }, 'Session deadline event failed');
    }
  }
}

/**
 * A principal's open sockets on this node: the socket itself while it is the only one (the usual case), a Set
 * from the second on. A Set of one per user was ~0.17 KB on every open session.
 */
type Sockets = SessionSocket | Set<SessionSocket>;

function add<K>(index: Map<K, Sockets>, key: K, socket: SessionSocket): void {
  const entry = index.get(key);
  if (!entry) index.set(key, socket);
  else if (entry instanceof Set) entry.add(socket);
  else if (entry !== socket) index.set(key, new Set([entry, socket]));
}

function remove<K>(index: Map<K, Sockets>, key: K, socket: SessionSocket): void {
  const entry = index.get(key);
  if (entry === socket) index.delete(key);
  else if (entry instanceof Set && entry.delete(socket)) {
    const [only, more] = entry;
    if (more === undefined) {
      if (only === undefined) index.delete(key);
      else index.set(key, only);
    }
  }
}

/** Notices come from our own SQL, but a malformed one must be ignored rather than throw. */
function parseNotice(payload: unknown): PrincipalNotice | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  if (typeof p.user_id !== 'number') return undefined;
  if (p.kind === 'user' && (p.status === 'active' || p.status === 'banned'))
    return { kind: 'user', user_id: p.user_id, status: p.status };
  if (p.kind === 'api-key' && typeof p.api_key_id === 'string')
    return { kind: 'api-key', api_key_id: p.api_key_id, user_id: p.user_id };
  return undefined;
}
