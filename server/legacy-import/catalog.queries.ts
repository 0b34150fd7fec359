// SQL for the catalogue tables the giveaways point at: users (and placeholders), channels and their admins,
// sponsors, prizes. Every write is a multi-row upsert that touches a row only when a value differs, and
// reports what it inserted and updated, so a rerun writes nothing and says so.
import type pg from 'pg';
import * as db from 'zapatos/db';
import { copyField, copyIn } from './copy-stream.ts';
import type { LegacyChannelInfo, LegacyPrize, LegacyUser } from './legacy-records.ts';
import { iso } from './legacy-values.ts';
import { intArrayLiteral } from '../platform/db/index.ts';

export interface Counts {
  inserted: number;
  updated: number;
}

function counts(rows: Array<{ inserted: boolean }>): Counts {
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

/**
 * Real user records win over placeholders: a placeholder made by an earlier run is filled in here. The
 * batch is COPYed into a session-local staging table (far cheaper to build and to parse than bound
 * parameters) and moved with one upsert; only the counts come back. Must run in a transaction.
 */
export async function upsertUsers(tx: pg.ClientBase, users: readonly LegacyUser[]): Promise<Counts> {
  if (users.length === 0) return { inserted: 0, updated: 0 };
  await db.sql`
    CREATE TEMP TABLE IF NOT EXISTS import_users (id bigint, username text, first_name text, last_name text,
      role user_role, status user_status, created_at timestamptz) ON COMMIT DELETE ROWS`.run(tx);
  await db.sql`TRUNCATE import_users`.run(tx);
  let text = '';
  for (const u of users) {
    text += `${u.id}\t${copyField(u.username)}\t${copyField(u.first_name)}\t${copyField(u.last_name)}\t`;
    text += `${u.role}\t${u.status}\t${u.created_at === null ? '\\N' : u.created_at.toISOString()}\n`;
  }
  await copyIn(
    tx,
    'COPY import_users (id, username, first_name, last_name, role, status, created_at) FROM STDIN',
    text,
  );
  const [row] = await db.sql<db.SQL, Array<{ inserted: number; updated: number }>>`
    WITH up AS (
      INSERT INTO users (id, username, first_name, last_name, role, status, created_at, updated_at)
      SELECT t.id, t.username, t.first_name, t.last_name, t.role, t.status,
        COALESCE(t.created_at, now()), COALESCE(t.created_at, now())
      FROM import_users t ORDER BY t.id
      ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, first_name = EXCLUDED.first_name,
        last_name = EXCLUDED.last_name, role = EXCLUDED.role, status = EXCLUDED.status
      WHERE (users.username, users.first_name, users.last_name, users.role, users.status)
        IS DISTINCT FROM (EXCLUDED.username, EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.role,
          EXCLUDED.status)
      RETURNING (xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated
    FROM up`.run(tx);
  return { inserted: row?.inserted ?? 0, updated: row?.updated ?? 0 };
}

/**
 * Users we only know by id (a participant, creator or winner without a `user:{uid}` record): the foreign
 * keys need a row. created_at is when the import made it; the bot or their next request fills the profile.
 */
export async function insertPlaceholderUsers(client: db.Queryable, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.sql<db.SQL, Array<{ id: string }>>`
    INSERT INTO users (id) SELECT unnest(${db.param(intArrayLiteral(ids))}::bigint[])
    ON CONFLICT (id) DO NOTHING RETURNING id`.run(client);
  return rows.length;
}

export interface ChannelRow {
  id: number;
  title: string;
  username: string | null;
  inviteUrl: string | null;
}

/**
 * The legacy bot only tracked channels it administered; type and membership rights are the best guess
 * until the bot's next chat-member update corrects them, so an existing row keeps its own.
 */
export async function upsertChannels(client: db.Queryable, channels: readonly ChannelRow[]): Promise<Counts> {
  if (channels.length === 0) return { inserted: 0, updated: 0 };
  const rows = await db.sql<db.SQL, Array<{ inserted: boolean }>>`
    INSERT INTO channels (id, type, title, username, invite_url, bot_status, bot_can_check_members)
    SELECT t.id, 'channel', t.title, t.username, t.invite_url, 'administrator', true FROM unnest(
      ${db.param(channels.map((c) => c.id))}::bigint[], ${db.param(channels.map((c) => c.title))}::text[],
      ${db.param(channels.map((c) => c.username))}::text[], ${db.param(channels.map((c) => c.inviteUrl))}::text[]
    ) AS t(id, title, username, invite_url)
    ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, username = EXCLUDED.username,
      invite_url = EXCLUDED.invite_url
    WHERE (channels.title, channels.username, channels.invite_url)
      IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.username, EXCLUDED.invite_url)
    RETURNING (xmax = 0) AS inserted`.run(client);
  return counts(rows);
}

export async function insertChannelAdmins(
  client: db.Queryable,
  pairs: ReadonlyArray<{ channelId: number; userId: number }>,
): Promise<number> {
  if (pairs.length === 0) return 0;
  const rows = await db.sql<db.SQL, Array<{ channel_id: string }>>`
    INSERT INTO channel_admins (channel_id, user_id, status)
    SELECT t.c, t.u, 'administrator' FROM unnest(
      ${db.param(pairs.map((p) => p.channelId))}::bigint[], ${db.param(pairs.map((p) => p.userId))}::bigint[]
    ) AS t(c, u)
    ON CONFLICT (channel_id, user_id) DO NOTHING RETURNING channel_id`.run(client);
  return rows.length;
}

export async function upsertSponsors(
  client: db.Queryable,
  sponsors: readonly LegacyChannelInfo[],
): Promise<Counts> {
  if (sponsors.length === 0) return { inserted: 0, updated: 0 };
  const rows = await db.sql<db.SQL, Array<{ inserted: boolean }>>`
    INSERT INTO sponsors (id, username, title, avatar_url, channel_url)
    SELECT * FROM unnest(
      ${db.param(sponsors.map((c) => c.id))}::bigint[], ${db.param(sponsors.map((c) => c.username))}::text[],
      ${db.param(sponsors.map((c) => c.title ?? ''))}::text[], ${db.param(sponsors.map((c) => c.avatarUrl))}::text[],
      ${db.param(sponsors.map((c) => c.channelUrl))}::text[]
    )
    ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, title = EXCLUDED.title,
      avatar_url = EXCLUDED.avatar_url, channel_url = EXCLUDED.channel_url
    WHERE (sponsors.username, sponsors.title, sponsors.avatar_url, sponsors.channel_url)
      IS DISTINCT FROM (EXCLUDED.username, EXCLUDED.title, EXCLUDED.avatar_url, EXCLUDED.channel_url)
    RETURNING (xmax = 0) AS inserted`.run(client);
  return counts(rows);
}

export async function upsertPrizes(client: db.Queryable, prizes: readonly LegacyPrize[]): Promise<Counts> {
  if (prizes.length === 0) return { inserted: 0, updated: 0 };
  const rows = await db.sql<db.SQL, Array<{ inserted: boolean }>>`
    INSERT INTO prizes (id, type, name, description, is_internal, fields, created_at, updated_at)
    SELECT t.id, t.type, t.name, t.description, t.is_internal, t.fields,
      COALESCE(t.created_at, now()), COALESCE(t.updated_at, t.created_at, now())
    FROM unnest(
      ${db.param(prizes.map((p) => p.id))}::uuid[], ${db.param(prizes.map((p) => p.type))}::prize_type[],
      ${db.param(prizes.map((p) => p.name))}::text[], ${db.param(prizes.map((p) => p.description))}::text[],
      ${db.param(prizes.map((p) => p.is_internal))}::boolean[],
      ${db.param(prizes.map((p) => JSON.stringify(p.fields)))}::jsonb[],
      ${db.param(prizes.map((p) => iso(p.created_at)))}::timestamptz[],
      ${db.param(prizes.map((p) => iso(p.updated_at)))}::timestamptz[]
    ) AS t(id, type, name, description, is_internal, fields, created_at, updated_at)
    ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, name = EXCLUDED.name,
      description = EXCLUDED.description, is_internal = EXCLUDED.is_internal, fields = EXCLUDED.fields
    WHERE (prizes.type, prizes.name, prizes.description, prizes.is_internal, prizes.fields)
      IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.name, EXCLUDED.description, EXCLUDED.is_internal, EXCLUDED.fields)
    RETURNING (xmax = 0) AS inserted`.run(client);
  return counts(rows);
}
