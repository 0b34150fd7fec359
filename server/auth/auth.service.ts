// Resolves callers (init-data or API key) to a Principal, keeps users' profiles fresh without writing on
// every request, and owns bans and API keys. No express, socket.io or grammy here.
import type pg from 'pg';
import * as db from 'zapatos/db';
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
  /**
   * How long a socket command trusts a looked-up standing (ban, key revocation). Principal notices clear it
   * at once on every node that hears them, so this bounds staleness only when a notice is missed.
   */
  standingCacheMs?: number;
}

/** Where a principal stands now: may act, or lost its right for good (told to the client as this code). */
export type Standing = { ok: true } | { ok: false; code: 'USER_BANNED' | 'API_KEY_INVALID'; reason: string };

const BANNED: Standing = { ok: false, code: 'USER_BANNED', reason: 'Your account is banned.' };
const REVOKED: Standing = { ok: false, code: 'API_KEY_INVALID', reason: 'The API key was revoked.' };

interface CachedUser {
  fingerprint: string;
  access: q.UserAccess;
  at: number;
}

const MAX_CACHED_USERS = 50_000;
/** Users per batched ban read (one parameter each). */
const MAX_STANDING_READ = 1000;

export class AuthService {
  private readonly cache = new Map<number, CachedUser>();
  private readonly admins: ReadonlySet<number>;
  private readonly profileCacheMs: number;
  private readonly standingCacheMs: number;
  /** `u:<userId>` / `k:<keyId>` → standing and when it was read. */
  private readonly standings = new Map<string, { standing: Standing; at: number }>();
  /** Bumped by every forget: a read that began before one must not cache its (maybe stale) answer. */
  private forgets = 0;
  /** Users whose ban status is read at the end of this event-loop turn, and that read's answer. */
  private bannedRead: { ids: Set<number>; banned: Promise<Set<number>> } | undefined;

  constructor(private readonly opts: AuthServiceOptions) {
    this.admins = new Set(opts.adminIds);
    this.profileCacheMs = opts.profileCacheMs ?? 10_000;
    this.standingCacheMs = opts.standingCacheMs ?? 2_000;
  }

  isAdmin(userId: number): boolean {
    return this.admins.has(userId);
  }

  /** Validates init-data and upserts the user, writing only when the profile changed or the cache aged out. */
  async fromInitData(raw: string): Promise<Principal> {
    const { profile, startParam, expiresAt } = validateInitData(
      raw,
      this.opts.botToken,
      this.opts.initDataTtlSec,
    );
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
      expiresAt,
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

  /** Revokes the key and, with the same commit, tells every node to end the sessions opened with it. */
  async revokeApiKey(principal: Principal, id: string): Promise<void> {
    const revoked = await db.readCommitted(this.opts.pool, async (tx) => {
      if (!(await q.revokeApiKey(tx, principal.userId, id))) return false;
      await q.notifyPrincipal(tx, { kind: 'api-key', api_key_id: id, user_id: principal.userId });
      return true;
    });
    if (!revoked) throw new AppError('NOT_FOUND', 'No such API key.');
    this.forget({ kind: 'api-key', api_key_id: id, user_id: principal.userId });
  }

  /** Bans or unbans; with the same commit every node hears it (a ban ends the user's open sessions). */
  async setUserStatus(principal: Principal, userId: number, status: 'active' | 'banned') {
    if (!principal.isAdmin) throw new AppError('FORBIDDEN', 'Only admins can change a user status.');
    if (status === 'banned' && this.isAdmin(userId))
      throw new AppError('CONFLICT', 'Admins cannot be banned.');
    const row = await db.readCommitted(this.opts.pool, async (tx) => {
      const updated = await q.updateUserStatus(tx, userId, status);
      if (updated) await q.notifyPrincipal(tx, { kind: 'user', user_id: userId, status });
      return updated;
    });
    if (!row) throw new AppError('NOT_FOUND', 'No such user.');
    this.forget({ kind: 'user', user_id: userId, status });
    return row;
  }

  /**
   * The principal's standing now, not at its handshake: banned owner or revoked key. Read from the database
   * at most every standingCacheMs per user and key; `forget` drops a cached answer at once.
   */
  async standing(principal: Principal): Promise<Standing> {
    const user = await this.cachedStanding(`u:${principal.userId}`, async () =>
      (await this.bannedNow(principal.userId)) ? BANNED : { ok: true },
    );
    if (!user.ok || principal.via !== 'api-key' || !principal.apiKeyId) return user;
    const keyId = principal.apiKeyId;
    return this.cachedStanding(`k:${keyId}`, async () =>
      (await q.selectUnusableApiKeys(this.opts.pool, [keyId])).length > 0 ? REVOKED : { ok: true },
    );
  }

  /**
   * Whether the user is banned, read together with every other user whose standing is looked up in the same
   * event-loop turn: commands from many users (joins from a crowd, each user seen for the first time) become
   * one query per turn instead of one per user.
   */
  private bannedNow(userId: number): Promise<boolean> {
    let read = this.bannedRead;
    if (!read || read.ids.size >= MAX_STANDING_READ) {
      const ids = new Set<number>();
      const banned = new Promise<Set<number>>((resolve, reject) => {
        setImmediate(() => {
          if (this.bannedRead?.ids === ids) this.bannedRead = undefined;
          q.selectBannedUsers(this.opts.pool, [...ids]).then((rows) => resolve(new Set(rows)), reject);
        });
      });
      read = { ids, banned };
      this.bannedRead = read;
    }
    read.ids.add(userId);
    return read.banned.then((banned) => banned.has(userId));
  }

  /** Of the given users and keys, those that lost their standing (one query each, for re-checks in bulk). */
  async lostStanding(
    userIds: readonly number[],
    keyIds: readonly string[],
  ): Promise<{ bannedUsers: number[]; revokedKeys: string[] }> {
    const [bannedUsers, revokedKeys] = await Promise.all([
      q.selectBannedUsers(this.opts.pool, userIds),
      q.selectUnusableApiKeys(this.opts.pool, keyIds),
    ]);
    return { bannedUsers, revokedKeys };
  }

  /** Drops what this node cached about a principal that changed (called for every notice heard). */
  forget(notice: q.PrincipalNotice): void {
    this.forgets++;
    this.cache.delete(notice.user_id);
    this.standings.delete(`u:${notice.user_id}`);
    if (notice.kind === 'api-key') this.standings.delete(`k:${notice.api_key_id}`);
  }

  /** Drops every cached standing: notices may have been missed (the LISTEN connection was down). */
  forgetAll(): void {
    this.forgets++;
    this.cache.clear();
    this.standings.clear();
  }

  private async cachedStanding(key: string, read: () => Promise<Standing>): Promise<Standing> {
    const hit = this.standings.get(key);
    const now = Date.now();
    if (hit && now - hit.at < this.standingCacheMs) return hit.standing;
    const forgets = this.forgets;
    const standing = await read();
    if (forgets !== this.forgets) return standing;
    if (this.standings.size >= MAX_CACHED_USERS) {
      const oldest = this.standings.keys().next();
      if (!oldest.done) this.standings.delete(oldest.value);
    }
    this.standings.delete(key);
    this.standings.set(key, { standing, at: now });
    return standing;
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
