// SQL of the auth capability: user upsert from Telegram profiles, API keys.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';

export interface TelegramProfile {
  id: number;
  username: string | null;
  firstName: string;
  lastName: string;
  photoUrl: string | null;
  languageCode: string | null;
  isPremium: boolean;
}

export interface UserAccess {
  role: s.user_role;
  status: s.user_status;
}

/** Upserts profile fields only: role, status and wallet are never touched by a login (HEAD reset bans). */
export async function upsertUserProfile(client: db.Queryable, p: TelegramProfile): Promise<UserAccess> {
  const row = await db
    .upsert(
      'users',
      {
        id: p.id,
        username: p.username,
        first_name: p.firstName,
        last_name: p.lastName,
        avatar_url: p.photoUrl,
        language_code: p.languageCode,
        is_premium: p.isPremium,
      },
      'id',
      {
        updateColumns: ['username', 'first_name', 'last_name', 'avatar_url', 'language_code', 'is_premium'],
        returning: ['role', 'status'],
      },
    )
    .run(client);
  return { role: row.role, status: row.status };
}

export async function selectUserAccess(
  client: db.Queryable,
  userId: number,
): Promise<UserAccess | undefined> {
  return db.selectOne('users', { id: userId }, { columns: ['role', 'status'] }).run(client);
}

export async function ensureUserExists(client: db.Queryable, userId: number): Promise<void> {
  await db.sql`INSERT INTO ${'users'} (${'id'}) VALUES (${db.param(userId)}) ON CONFLICT DO NOTHING`.run(
    client,
  );
}

export async function insertApiKey(
  client: db.Queryable,
  key: { ownerId: number; name: string; prefix: string; secretHash: Buffer },
): Promise<s.api_keys.JSONSelectable> {
  return db
    .insert('api_keys', {
      owner_id: key.ownerId,
      name: key.name,
      prefix: key.prefix,
      secret_hash: key.secretHash,
    })
    .run(client);
}

export async function selectApiKeysByOwner(
  client: db.Queryable,
  ownerId: number,
): Promise<s.api_keys.JSONSelectable[]> {
  return db
    .select(
      'api_keys',
      { owner_id: ownerId, revoked_at: db.conditions.isNull },
      { order: { by: 'created_at', direction: 'DESC' } },
    )
    .run(client);
}

/** Channel of principal notices: every realtime node ends the sessions they name (server/auth/socket-sessions). */
export const PRINCIPAL_CHANNEL = 'gw_principal_changed';

export type PrincipalNotice =
  | { kind: 'user'; user_id: number; status: s.user_status }
  | { kind: 'api-key'; api_key_id: string; user_id: number };

/** Call inside the change's transaction, so the notice is heard exactly when the change commits. */
export async function notifyPrincipal(client: db.Queryable, notice: PrincipalNotice): Promise<void> {
  await db.sql`SELECT pg_notify(${db.param(PRINCIPAL_CHANNEL)}, ${db.param(JSON.stringify(notice))})`.run(
    client,
  );
}

export async function revokeApiKey(client: db.Queryable, ownerId: number, id: string): Promise<boolean> {
  const rows = await db
    .update(
      'api_keys',
      { revoked_at: db.sql`now()` },
      { id, owner_id: ownerId, revoked_at: db.conditions.isNull },
    )
    .run(client);
  return rows.length > 0;
}

/** The subset of `userIds` that is banned now. */
export async function selectBannedUsers(client: db.Queryable, userIds: readonly number[]): Promise<number[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .select('users', { id: db.conditions.isIn(userIds), status: 'banned' }, { columns: ['id'] })
    .run(client);
  return rows.map((r) => Number(r.id));
}

/** The subset of `keyIds` that is revoked (or gone) now. */
export async function selectUnusableApiKeys(
  client: db.Queryable,
  keyIds: readonly string[],
): Promise<string[]> {
  if (keyIds.length === 0) return [];
  const live = await db
    .select(
      'api_keys',
      { id: db.conditions.isIn(keyIds), revoked_at: db.conditions.isNull },
      { columns: ['id'] },
    )
    .run(client);
  const alive = new Set(live.map((r) => r.id));
  return keyIds.filter((id) => !alive.has(id));
}

/** Resolves a key by its hash and records its use (at most once a minute, to keep the hot path read-mostly). */
export async function useApiKey(
  client: db.Queryable,
  secretHash: Buffer,
): Promise<{ id: string; owner_id: number } | undefined> {
  const rows = await db.sql<s.api_keys.SQL, Array<{ id: string; owner_id: string }>>`
    UPDATE ${'api_keys'} SET ${'last_used_at'} = CASE
        WHEN ${'last_used_at'} IS NULL OR ${'last_used_at'} < now() - interval '1 minute' THEN now()
        ELSE ${'last_used_at'} END
    WHERE ${'secret_hash'} = ${db.param(secretHash)} AND ${'revoked_at'} IS NULL
    RETURNING ${'id'}, ${'owner_id'}`.run(client);
  const row = rows[0];
  return row ? { id: row.id, owner_id: Number(row.owner_id) } : undefined;
}

export async function updateUserStatus(
  client: db.Queryable,
  userId: number,
  status: s.user_status,
): Promise<s.users.JSONSelectable | undefined> {
  const rows = await db.update('users', { status }, { id: userId }).run(client);
  return rows[0];
}

export async function selectUser(
  client: db.Queryable,
  userId: number,
): Promise<s.users.JSONSelectable | undefined> {
  return db.selectOne('users', { id: userId }).run(client);
}
