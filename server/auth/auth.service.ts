// Resolves callers (init-data or API key) to a Principal, keeps users' profiles fresh without writing on
// every request, and owns bans and API keys. No express, socket.io or grammy here.
import type pg from 'pg';
import { AppError } from '../platform/errors.ts';
import * as q from './auth.queries.ts';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-key-secret.ts';
import { validateInitData } from './init-data.ts';
import type { Principal } from './principal.ts';

export interface AuthServiceOptions {
  pool: pg.Pool;
  botToken: string | undefined;
  initDataTtlSec: number;
  adminIds: readonly number[];
  /** How long a seen profile is trusted before the next write (and a status re-read). */
  profileCacheMs?: number;
}

interface CachedUser {
  fingerprint: string;
  access: q.UserAccess;
  at: number;
}

const MAX_CACHED_USERS = 50_000;

export class AuthService {
  private readonly cache = new Map<number, CachedUser>();
  private readonly admins: ReadonlySet<number>;
  private readonly profileCacheMs: number;

  constructor(private readonly opts: AuthServiceOptions) {
    this.admins = new Set(opts.adminIds);
    this.profileCacheMs = opts.profileCacheMs ?? 10_000;
  }

  isAdmin(userId: number): boolean {
    return this.admins.has(userId);
  }

  /** Validates init-data and upserts the user, writing only when the profile changed or the cache aged out. */
  async fromInitData(raw: string): Promise<Principal> {
    const { profile, startParam } = validateInitData(raw, this.opts.botToken, this.opts.initDataTtlSec);
    const fingerprint = JSON.stringify(profile);
    const cached = this.cache.get(profile.id);
    let access: q.UserAccess;
    if (cached && cached.fingerprint === fingerprint && Date.now() - cached.at < this.profileCacheMs) {
      access = cached.access;
    } else {
      access = await q.upsertUserProfile(this.opts.pool, profile);
      this.remember(profile.id, { fingerprint, access, at: Date.now() });
    }
    return {
      userId: profile.id,
      isAdmin: this.isAdmin(profile.id) || access.role === 'admin',
      isBanned: access.status === 'banned',
      via: 'init-data',
      ...(startParam ? { startParam } : {}),
    };
  }

  async fromApiKey(key: string): Promise<Principal> {
    if (!looksLikeApiKey(key)) throw new AppError('API_KEY_INVALID', 'API key is malformed.');
    const found = await q.useApiKey(this.opts.pool, hashApiKey(key));
    if (!found) throw new AppError('API_KEY_INVALID', 'API key is unknown or revoked.');
    const access = (await q.selectUserAccess(this.opts.pool, found.owner_id)) ?? {
      role: 'user',
      status: 'active',
    };
    return {
      userId: found.owner_id,
      isAdmin: false, // Keys act for their owner's giveaways only, never with admin powers.
      isBanned: access.status === 'banned',
      via: 'api-key',
      apiKeyId: found.id,
    };
  }

  async createApiKey(principal: Principal, name: string) {
    if (principal.via !== 'init-data')
      throw new AppError('FORBIDDEN', 'API keys can only be created from Telegram.');
    assertNotBanned(principal);
    const { key, prefix, hash } = generateApiKey();
    const row = await q.insertApiKey(this.opts.pool, {
      ownerId: principal.userId,
      name,
      prefix,
      secretHash: hash,
    });
    return { id: row.id, name: row.name, prefix: row.prefix, created_at: row.created_at, key };
  }

  async listApiKeys(principal: Principal) {
    const rows = await q.selectApiKeysByOwner(this.opts.pool, principal.userId);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      created_at: r.created_at,
      last_used_at: r.last_used_at,
    }));
  }

  async revokeApiKey(principal: Principal, id: string): Promise<void> {
    if (!(await q.revokeApiKey(this.opts.pool, principal.userId, id)))
      throw new AppError('NOT_FOUND', 'No such API key.');
  }

  async setUserStatus(principal: Principal, userId: number, status: 'active' | 'banned') {
    if (!principal.isAdmin) throw new AppError('FORBIDDEN', 'Only admins can change a user status.');
    if (status === 'banned' && this.isAdmin(userId))
      throw new AppError('CONFLICT', 'Admins cannot be banned.');
    const row = await q.updateUserStatus(this.opts.pool, userId, status);
    if (!row) throw new AppError('NOT_FOUND', 'No such user.');
    this.cache.delete(userId);
    return row;
  }

  async getUser(userId: number) {
    const row = await q.selectUser(this.opts.pool, userId);
    if (!row) throw new AppError('NOT_FOUND', 'No such user.');
    return row;
  }

  private remember(userId: number, entry: CachedUser): void {
    if (this.cache.size >= MAX_CACHED_USERS) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.delete(userId);
    this.cache.set(userId, entry);
  }
}

export function assertNotBanned(principal: Principal): void {
  if (principal.isBanned) throw new AppError('USER_BANNED', 'Your account is banned.');
}
