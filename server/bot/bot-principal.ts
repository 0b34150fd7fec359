// Who is pressing a button: the Telegram user of an update as a Principal, the same shape REST and sockets
// use, so the bot goes through the very same service rules (bans, ownership, admin). Telegram delivered the
// update, so the sender is authenticated as surely as by signed init-data.
import type { User } from 'grammy/types';
import type pg from 'pg';
import type { Principal } from '../auth/index.ts';
import { upsertBotUser, type BotUserProfile } from './bot-users.queries.ts';

export interface BotPrincipalsDeps {
  pool: pg.Pool;
  isAdmin(userId: number): boolean;
  /** How long a seen profile is trusted before the next write (and a ban re-read). */
  cacheMs?: number;
}

const USERNAME = /^[A-Za-z0-9_]{1,64}$/;
const MAX_CACHED = 50_000;

export class BotPrincipals {
  private readonly cache = new Map<number, { fingerprint: string; principal: Principal; at: number }>();

  constructor(private readonly deps: BotPrincipalsDeps) {}

  async of(from: User, opts: { privateChat: boolean }): Promise<Principal> {
    const profile = toProfile(from);
    const fingerprint = `${JSON.stringify(profile)}|${opts.privateChat}`;
    const cached = this.cache.get(from.id);
    if (
      cached &&
      cached.fingerprint === fingerprint &&
      Date.now() - cached.at < (this.deps.cacheMs ?? 10_000)
    ) {
      return cached.principal;
    }
    const access = await upsertBotUser(this.deps.pool, profile, opts.privateChat);
    const principal: Principal = {
      userId: from.id,
      isAdmin: this.deps.isAdmin(from.id) || access.role === 'admin',
      isBanned: access.status === 'banned',
      // The closest existing kind: a Telegram-authenticated user acting as themself.
      via: 'init-data',
    };
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(from.id, { fingerprint, principal, at: Date.now() });
    return principal;
  }
}

function toProfile(from: User): BotUserProfile {
  return {
    id: from.id,
    username: from.username && USERNAME.test(from.username) ? from.username : null,
    firstName: from.first_name.slice(0, 256),
    lastName: (from.last_name ?? '').slice(0, 256),
    languageCode: from.language_code?.slice(0, 16) ?? null,
    isPremium: from.is_premium === true,
  };
}
