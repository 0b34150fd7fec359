// Sessions of authenticated sockets end when trust ends. A socket copies its principal at the handshake, so
// without this a ban, a key revocation or an init-data expiry would never reach an open connection:
// - a ban or revocation commits with a NOTIFY (auth.service); every realtime node hears it on its change feed
//   and tells each socket of that principal why (`session:ended`), then disconnects it;
// - every command re-checks the principal's standing (auth.standing, cached briefly, cleared by notices);
// - init-data stops acting at auth_date + INIT_DATA_TTL (`session:expiring` shortly before, `session:expired`
//   at that moment) unless the client sends fresh init-data with `auth:refresh`.
// Sockets are indexed here per user and per key rather than put in Socket.IO rooms: with the sharded adapter
// every room costs a Redis subscription on every node, and the notice already reaches every node.
import type { Socket } from 'socket.io';
import {
  AuthRefreshPayload,
  type ClientToServerEvents,
  type ErrorPayload,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../../schema/contract/index.ts';
import type { ChangeFeed } from '../platform/change-feed/index.ts';
import { AppError, toAppError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import { attachCommands, defineCommand, type SocketCommand } from '../platform/realtime/socket-command.ts';
import { PRINCIPAL_CHANNEL, type PrincipalNotice } from './auth.queries.ts';
import type { AuthService, Standing } from './auth.service.ts';
import { socketPrincipal } from './auth.socket.ts';

type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Commands this module answers (the giveaways socket's unknown-event guard must let them through). */
export const SESSION_COMMANDS = ['auth:refresh'] as const;

export interface SocketSessionsOptions {
  auth: AuthService;
  logger: Logger;
  /** The node's LISTEN connection; without one only standing checks per command end sessions. */
  feed: ChangeFeed | undefined;
  /** How long before expiry `session:expiring` is sent. Default 60 s. */
  warnBeforeMs?: number;
}

/** setTimeout caps delays at 2^31-1 ms (~24.8 days): longer waits re-arm. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class SocketSessions {
  private readonly byUser = new Map<number, Set<SessionSocket>>();
  private readonly byKey = new Map<string, Set<SessionSocket>>();
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private readonly log: Logger;
  private readonly warnBeforeMs: number;
  private unsubscribe: Array<() => void> = [];
  /** Shared by every socket (`this` is the socket): nothing allocated per connection for it. */
  private readonly refresh: SocketCommand<SessionSocket>;

  constructor(private readonly opts: SocketSessionsOptions) {
    this.log = opts.logger.child({ module: 'sessions' });
    this.warnBeforeMs = opts.warnBeforeMs ?? 60_000;
    this.refresh = this.refreshCommand();
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
    for (const list of this.timers.values()) list.forEach(clearTimeout);
    this.timers.clear();
  }

  /** Call on `connection`, before the capability handlers: indexes the socket and guards every command. */
  connect(socket: SessionSocket): void {
    const data = socket.data;
    attachCommands(socket, [this.refresh]);
    if (data.via === 'viewer' || data.userId === null) return;
    const userId = data.userId;
    add(this.byUser, userId, socket);
    if (data.apiKeyId) add(this.byKey, data.apiKeyId, socket);
    this.schedule(socket);

    socket.use((packet, next) => {
      const [event] = packet;
      if (event === 'auth:refresh') return next();
      const ack: unknown = packet.at(-1);
      const refuse = (payload: ErrorPayload) => {
        if (typeof ack === 'function') (ack as (res: unknown) => void)({ ok: false, error: payload });
      };
      const principal = socketPrincipal(data, 0); // standing only; expiry is the command's business
      if (!principal) return next();
      this.opts.auth.standing(principal).then(
        (standing) => {
          if (standing.ok) return next();
          refuse({ code: standing.code, message: standing.reason });
          this.end(socket, standing);
        },
        (err: unknown) => {
          // Fail closed: a command whose caller cannot be checked is not run.
          const error = toAppError(err);
          if (error.code === 'INTERNAL') this.log.error({ err }, 'Standing check failed');
          refuse({ code: error.code === 'INTERNAL' ? 'UNAVAILABLE' : error.code, message: error.message });
        },
      );
    });

    socket.on('disconnect', () => {
      remove(this.byUser, userId, socket);
      if (data.apiKeyId) remove(this.byKey, data.apiKeyId, socket);
      this.timers.get(socket.id)?.forEach(clearTimeout);
      this.timers.delete(socket.id);
    });
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
        data.expiresAt = Math.max(data.expiresAt ?? 0, fresh.expiresAt ?? 0);
        this.schedule(socket);
        return { expires_at: new Date(data.expiresAt).toISOString() };
      },
    );
  }

  /** Open authenticated sockets on this node (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
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

  private endAll(sockets: Set<SessionSocket> | undefined, why: Exclude<Standing, { ok: true }>): void {
    for (const socket of [...(sockets ?? [])]) this.end(socket, why);
  }

  /** Tells the client why, then closes: engine.io flushes the event before it closes the transport. */
  private end(socket: SessionSocket, why: Exclude<Standing, { ok: true }>): void {
    if (!socket.connected) return;
    this.log.info({ userId: socket.data.userId, code: why.code }, 'Session ended');
    socket.emit('session:ended', { code: why.code, reason: why.reason });
    socket.disconnect(true);
  }

  /** (Re)arms the expiry warning and the expiry itself for an init-data socket. */
  private schedule(socket: SessionSocket): void {
    this.timers.get(socket.id)?.forEach(clearTimeout);
    const expiresAt = socket.data.expiresAt;
    if (socket.data.via !== 'init-data' || expiresAt === null) return;
    const list: NodeJS.Timeout[] = [];
    this.timers.set(socket.id, list);
    // Timers run on a monotonic clock and may fire a millisecond before the wall clock reaches `when`: re-arm
    // until it has, so "expired" is never said before the moment it names.
    const at = (when: number, fn: () => void) => {
      const delay = when - Date.now();
      list.push(
        delay <= 0 ? setTimeout(fn, 0) : setTimeout(() => at(when, fn), Math.min(delay, MAX_DELAY_MS)),
      );
    };
    const expiresIso = new Date(expiresAt).toISOString();
    at(expiresAt - this.warnBeforeMs, () => socket.emit('session:expiring', { expires_at: expiresIso }));
    at(expiresAt, () =>
      socket.emit('session:expired', {
        code: 'INIT_DATA_EXPIRED',
        reason: 'Telegram init-data has expired; send auth:refresh with fresh init-data to act again.',
      }),
    );
  }
}

function add<K>(index: Map<K, Set<SessionSocket>>, key: K, socket: SessionSocket): void {
  const set = index.get(key) ?? new Set();
  index.set(key, set.add(socket));
}

function remove<K>(index: Map<K, Set<SessionSocket>>, key: K, socket: SessionSocket): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(socket);
  if (set.size === 0) index.delete(key);
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
