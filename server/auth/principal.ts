// Who is calling: resolved once per request (or socket) by the auth service, checked by services.
export interface Principal {
  userId: number;
  isAdmin: boolean;
  isBanned: boolean;
  via: 'init-data' | 'api-key';
  /** Set when via = 'api-key': the key acts as its owner for the owner's giveaways only. */
  apiKeyId?: string;
  /** Telegram `start_param` from init-data, if the Mini App was opened with one. */
  startParam?: string;
  /** Set when via = 'init-data': when that init-data expires (epoch ms); a socket stops acting then. */
  expiresAt?: number;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
