// Socket.IO edge of auth: the handshake's `auth.initData` (validated exactly like REST) or `auth.apiKey`;
// without either the socket is a read-only viewer of public giveaways.
import type { ExtendedError, Socket } from 'socket.io';
import type { SocketData } from '../../schema/contract/index.ts';
import { toAppError } from '../platform/errors.ts';
import type { AuthService } from './auth.service.ts';
import type { Principal } from './principal.ts';

export function socketAuth(auth: AuthService) {
  return (socket: Socket, next: (err?: ExtendedError) => void): void => {
    const given = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const initData = typeof given.initData === 'string' && given.initData ? given.initData : undefined;
    const apiKey = typeof given.apiKey === 'string' && given.apiKey ? given.apiKey : undefined;
    const data = socket.data as SocketData;
    if (!initData && !apiKey) {
      Object.assign(data, {
        userId: null,
        isAdmin: false,
        isBanned: false,
        via: 'viewer',
      } satisfies SocketData);
      next();
      return;
    }
    const resolve = initData ? auth.fromInitData(initData) : auth.fromApiKey(apiKey ?? '');
    resolve
      .then((p) => {
        Object.assign(data, {
          userId: p.userId,
          isAdmin: p.isAdmin,
          isBanned: p.isBanned,
          via: p.via,
        } satisfies SocketData);
        next();
      })
      .catch((err: unknown) => {
        const error = toAppError(err);
        next(Object.assign(new Error(error.message), { data: error.toPayload() }));
      });
  };
}

/** The socket's caller as a Principal, or undefined for viewers. */
export function socketPrincipal(data: SocketData): Principal | undefined {
  if (data.userId === null || data.via === 'viewer') return undefined;
  return { userId: data.userId, isAdmin: data.isAdmin, isBanned: data.isBanned, via: data.via };
}
