// Express edge of auth: finds the credential (X-Telegram-Init-Data, `Authorization: tma …`, `Authorization:
// Bearer <api key>`, or ?init_data=), resolves the Principal, and refuses mutations from banned users.
import type { Request, RequestHandler } from 'express';
import { AppError } from '../platform/errors.ts';
import type { AuthService } from './auth.service.ts';
import type { Principal } from './principal.ts';

type Credential = { kind: 'init-data'; value: string } | { kind: 'api-key'; value: string } | undefined;

function findCredential(req: Request): Credential {
  const header = req.headers['x-telegram-init-data'];
  if (typeof header === 'string' && header.length > 0) return { kind: 'init-data', value: header };
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string') {
    const [scheme, ...rest] = authorization.trim().split(/\s+/);
    const value = rest.join(' ');
    if (scheme?.toLowerCase() === 'tma' && value) return { kind: 'init-data', value };
    if (scheme?.toLowerCase() === 'bearer' && value) return { kind: 'api-key', value };
  }
  const query = (req.query as Record<string, unknown>).init_data;
  if (typeof query === 'string' && query.length > 0) return { kind: 'init-data', value: query };
  return undefined;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function authenticate(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const credential = findCredential(req);
    if (!credential) {
      throw new AppError('UNAUTHORIZED', 'Authentication required: send X-Telegram-Init-Data or an API key.');
    }
    if (credential.value.length > 8192) throw new AppError('INIT_DATA_INVALID', 'Credential is too long.');
    const principal =
      credential.kind === 'init-data'
        ? await auth.fromInitData(credential.value)
        : await auth.fromApiKey(credential.value);
    if (principal.isBanned && MUTATING.has(req.method))
      throw new AppError('USER_BANNED', 'Your account is banned.');
    req.principal = principal;
    next();
  };
}

/** The authenticated caller; routes behind `authenticate` always have one. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new AppError('UNAUTHORIZED', 'Authentication required.');
  return req.principal;
}
