// Socket.IO edge of auth: the handshake's `auth.initData` (validated exactly like REST) or `auth.apiKey`;
// without either the socket is a read-only viewer of public giveaways. A banned user is refused here; what
// happens to the session later (bans, revocations, expiry) is socket-sessions.ts.
import type { ExtendedError, Socket } from 'socket.io';
import type { SocketData } from '../../schema/contract/index.ts';
import { AppError, toAppError } from '../platform/errors.ts';
import type { AuthService } from './auth.service.ts';
import type { Principal } from './principal.ts';

/**
 * Every viewer's `socket.data`: one frozen object instead of six fields per socket. Nothing writes a viewer's
 * data (auth:refresh refuses viewers before it touches it).
 */
const VIEWER_DATA: Readonly<SocketData> = Object.freeze({
  userId: null,
  isAdmin: false,
  isBanned: false,
  via: 'viewer',
  apiKeyId: null,
  expiresAt: null,
});

export function socketAuth(auth: AuthService) {
  return (socket: Socket, next: (err?: ExtendedError) => void): void => {
    const given = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const initData = typeof given.initData === 'string' && given.initData ? given.initData : undefined;
    const apiKey = typeof given.apiKey === 'string' && given.apiKey ? given.apiKey : undefined;
    if (!initData && !apiKey) {
      socket.data = VIEWER_DATA;
      next();
      return;
    }
    const resolve = initData ? auth.fromInitData(initData) : auth.fromApiKey(apiKey ?? '');
    resolve
      .then((p) => {
        if (p.isBanned) throw new AppError('USER_BANNED', 'Your account is banned.');
        // A fresh object of exactly these fields (Socket.IO's empty `{}` would keep two of six out of line).
        socket.data = {
          userId: p.userId,
          isAdmin: p.isAdmin,
          isBanned: p.isBanned,
          via: p.via,
          apiKeyId: p.apiKeyId ?? null,
          expiresAt: p.expiresAt ?? null,
        } satisfies SocketData;
        next();
      })
      .catch((err: unknown) => {
        const error = toAppError(err);
        next(Object.assign(new Error(error.message), { data: error.toPayload() }));
      });
  };
}

/**
 * The socket's caller as a Principal, or undefined for viewers. Throws INIT_DATA_EXPIRED once the socket's
 * init-data expired (pass `now` = 0 to skip that check). Its ban/revocation standing is checked per command
 * by SocketSessions before any handler runs.
 */
export function socketPrincipal(data: SocketData, now: number = Date.now()): Principal | undefined {
  if (data.userId === null || data.via === 'viewer') return undefined;
  if (now > 0 && data.expiresAt !== null && now >= data.expiresAt) {
    throw new AppError(
      'INIT_DATA_EXPIRED',
      'Telegram init-data has expired; send auth:refresh with fresh init-data to act again.',
    );
  }
  return {
    userId: data.userId,
    isAdmin: data.isAdmin,
    isBanned: data.isBanned,
    via: data.via,
    ...(data.apiKeyId ? { apiKeyId: data.apiKeyId } : {}),
    ...(data.expiresAt !== null ? { expiresAt: data.expiresAt } : {}),
  };
}
