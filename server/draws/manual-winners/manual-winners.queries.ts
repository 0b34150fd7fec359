// SQL of the manual-winners flow: who owns a giveaway, resolving ids and @usernames among its entrants,
// the stored candidate list, and the profiles shown in the Mini App's list.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';
import { selectFrozenMembers } from '../entrants/index.ts';

export interface OwnedGiveaway {
  creatorId: number;
  status: s.giveaway_status;
  winnersCount: number;
  frozen: boolean;
}

export async function selectOwnedGiveaway(
  client: db.Queryable,
  giveawayId: string,
  lock = false,
): Promise<OwnedGiveaway | undefined> {
  const rows = await db.sql<
    db.SQL,
    Array<{ creator_id: string; status: s.giveaway_status; winners_count: number; frozen: boolean }>
  >`
    SELECT creator_id, status, winners_count, closed_at IS NOT NULL AS frozen FROM giveaways
    WHERE id = ${db.param(giveawayId)} ${lock ? db.sql`FOR UPDATE` : db.sql``}`.run(client);
  const r = rows[0];
  return (
    r && {
      creatorId: Number(r.creator_id),
      status: r.status,
      winnersCount: r.winners_count,
      frozen: r.frozen,
    }
  );
}

/**
 * Which of these ids and (lowercase) usernames are entrants: the frozen list once entries closed, else the
 * current participants. A username several accounts once held resolves to the entrant holding it.
 */
export async function resolveEntrants(
  client: db.Queryable,
  giveawayId: string,
  frozen: boolean,
  ids: number[],
  usernames: string[],
): Promise<{ ids: Set<number>; byUsername: Map<string, number> }> {
  if (frozen) return resolveFrozenEntrants(client, giveawayId, ids, usernames);
  const idRows = await db.sql<db.SQL, Array<{ user_id: string }>>`
    SELECT user_id FROM participants WHERE giveaway_id = ${db.param(giveawayId)}
      AND user_id = ANY(${db.param(ids)}::bigint[])`.run(client);
  const nameRows = await db.sql<db.SQL, Array<{ uname: string; id: string }>>`
    SELECT DISTINCT ON (lower(u.username)) lower(u.username) AS uname, u.id
    FROM users u JOIN participants e ON e.user_id = u.id AND e.giveaway_id = ${db.param(giveawayId)}
    WHERE lower(u.username) = ANY(${db.param(usernames)}::text[])
    ORDER BY lower(u.username), u.updated_at DESC`.run(client);
  return {
    ids: new Set(idRows.map((r) => Number(r.user_id))),
    byUsername: new Map(nameRows.map((r) => [r.uname, Number(r.id)])),
  };
}

/**
 * The frozen list is stored in chunks (no row per entrant to join): every account stored with one of the
 * usernames is a candidate, the candidates and the ids are tested against the list in one lookup, and the
 * username goes to the most recently updated account among the entrants, as for participants.
 */
async function resolveFrozenEntrants(
  client: db.Queryable,
  giveawayId: string,
  ids: number[],
  usernames: string[],
): Promise<{ ids: Set<number>; byUsername: Map<string, number> }> {
  const named =
    usernames.length === 0
      ? []
      : await db.sql<db.SQL, Array<{ id: string }>>`
          SELECT id FROM users WHERE lower(username) = ANY(${db.param(usernames)}::text[])`.run(client);
  const members = await selectFrozenMembers(client, giveawayId, [...ids, ...named.map((r) => Number(r.id))]);
  const nameRows =
    named.length === 0
      ? []
      : await db.sql<db.SQL, Array<{ uname: string; id: string }>>`
          SELECT DISTINCT ON (lower(u.username)) lower(u.username) AS uname, u.id
          FROM users u
          WHERE lower(u.username) = ANY(${db.param(usernames)}::text[])
            AND u.id = ANY(${db.param([...members])}::bigint[])
          ORDER BY lower(u.username), u.updated_at DESC`.run(client);
  return {
    ids: new Set(ids.filter((id) => members.has(id))),
    byUsername: new Map(nameRows.map((r) => [r.uname, Number(r.id)])),
  };
}

/** For a preview without a giveaway: any known user. */
export async function resolveUsers(
  client: db.Queryable,
  ids: number[],
  usernames: string[],
): Promise<{ ids: Set<number>; byUsername: Map<string, number> }> {
  const idRows = await db.sql<db.SQL, Array<{ id: string }>>`
    SELECT id FROM users WHERE id = ANY(${db.param(ids)}::bigint[])`.run(client);
  const nameRows = await db.sql<db.SQL, Array<{ uname: string; id: string }>>`
    SELECT DISTINCT ON (lower(username)) lower(username) AS uname, id FROM users
    WHERE lower(username) = ANY(${db.param(usernames)}::text[])
    ORDER BY lower(username), updated_at DESC`.run(client);
  return {
    ids: new Set(idRows.map((r) => Number(r.id))),
    byUsername: new Map(nameRows.map((r) => [r.uname, Number(r.id)])),
  };
}

export interface UserProfile {
  id: number;
  username: string | null;
  firstName: string;
  lastName: string;
  avatarUrl: string | null;
}

export async function selectProfiles(client: db.Queryable, ids: number[]): Promise<Map<number, UserProfile>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select(
      'users',
      { id: db.conditions.isIn(ids) },
      { columns: ['id', 'username', 'first_name', 'last_name', 'avatar_url'] },
    )
    .run(client);
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        id: Number(r.id),
        username: r.username,
        firstName: r.first_name,
        lastName: r.last_name,
        avatarUrl: r.avatar_url,
      },
    ]),
  );
}

export type CandidateSource = 'id' | 'username';

export interface StoredList {
  userIds: number[];
  sources: CandidateSource[];
  createdAt: Date;
}

export async function upsertList(
  tx: db.Queryable,
  giveawayId: string,
  userIds: number[],
  sources: CandidateSource[],
): Promise<void> {
  await db
    .upsert(
      'pre_winner_lists',
      {
        giveaway_id: giveawayId,
        user_ids: userIds,
        sources: db.param(sources, true),
        created_at: db.sql`now()`,
        expires_at: db.sql`now() + interval '24 hours'`,
      },
      'giveaway_id',
    )
    .run(tx);
}

export async function selectList(client: db.Queryable, giveawayId: string): Promise<StoredList | undefined> {
  const row = await db.selectOne('pre_winner_lists', { giveaway_id: giveawayId }).run(client);
  if (!row) return undefined;
  const sources = Array.isArray(row.sources) ? (row.sources as unknown[]) : [];
  return {
    userIds: row.user_ids.map(Number),
    sources: row.user_ids.map((_, i) => (sources[i] === 'username' ? 'username' : 'id')),
    createdAt: new Date(row.created_at),
  };
}

export async function deleteList(client: db.Queryable, giveawayId: string): Promise<void> {
  await db.deletes('pre_winner_lists', { giveaway_id: giveawayId }).run(client);
}
