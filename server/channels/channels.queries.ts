// SQL of channels: the chats the bot is in, who administers them, and the channel requirements of live
// giveaways that depend on the bot's access.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';

export type ChannelRow = s.channels.JSONSelectable;
export type BotStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

export interface ChannelUpsert {
  id: number;
  type: 'channel' | 'group' | 'supergroup';
  title: string;
  username: string | null;
  invite_url?: string | null;
  bot_status: BotStatus;
  bot_can_check_members: boolean;
}

/** Statuses in which the bot is in the chat at all. */
export const BOT_PRESENT: BotStatus[] = ['creator', 'administrator', 'member', 'restricted'];
/** Giveaways whose requirements still matter (join, draw, manual winners). */
const LIVE: s.giveaway_status[] = ['scheduled', 'active', 'drawing', 'pending'];

export async function upsertChannel(client: db.Queryable, row: ChannelUpsert): Promise<void> {
  const columns: Array<keyof ChannelUpsert> = [
    'type',
    'title',
    'username',
    'bot_status',
    'bot_can_check_members',
  ];
  if (row.invite_url !== undefined) columns.push('invite_url');
  await db.upsert('channels', row, 'id', { updateColumns: columns }).run(client);
}

export async function updateChannel(
  client: db.Queryable,
  id: number,
  fields: Partial<
    Pick<s.channels.Updatable, 'title' | 'username' | 'invite_url' | 'bot_status' | 'bot_can_check_members'>
  >,
): Promise<void> {
  await db.update('channels', fields, { id }).run(client);
}

export async function selectChannel(client: db.Queryable, id: number): Promise<ChannelRow | undefined> {
  return db.selectOne('channels', { id }).run(client);
}

/** Usernames move between chats; the most recently updated holder wins. */
export async function selectChannelByUsername(
  client: db.Queryable,
  username: string,
): Promise<ChannelRow | undefined> {
  const rows = await db.sql<s.channels.SQL, ChannelRow[]>`
    SELECT * FROM ${'channels'} WHERE lower(${'username'}) = lower(${db.param(username)})
    ORDER BY ${'updated_at'} DESC LIMIT 1`.run(client);
  return rows[0];
}

/** Makes `admins` the channel's administrator list, keeping created_at of those already known. */
export async function replaceAdmins(
  client: db.Queryable,
  channelId: number,
  admins: ReadonlyArray<{ userId: number; status: 'creator' | 'administrator' }>,
): Promise<void> {
  const ids = admins.map((a) => a.userId);
  await db.sql`DELETE FROM ${'channel_admins'} WHERE ${'channel_id'} = ${db.param(channelId)}
    AND NOT (${'user_id'} = ANY(${db.param(ids)}::bigint[]))`.run(client);
  if (admins.length === 0) return;
  await db
    .upsert(
      'channel_admins',
      admins.map((a) => ({
        channel_id: channelId,
        user_id: a.userId,
        status: a.status,
        updated_at: db.sql`now()`,
      })),
      ['channel_id', 'user_id'],
      { updateColumns: ['status', 'updated_at'] },
    )
    .run(client);
}

export async function addAdmin(
  client: db.Queryable,
  channelId: number,
  userId: number,
  status: 'creator' | 'administrator',
): Promise<void> {
  await db
    .upsert('channel_admins', { channel_id: channelId, user_id: userId, status }, ['channel_id', 'user_id'], {
      updateColumns: db.doNothing,
    })
    .run(client);
}

export async function isChannelAdmin(
  client: db.Queryable,
  channelId: number,
  userId: number,
): Promise<boolean> {
  const row = await db.selectOne('channel_admins', { channel_id: channelId, user_id: userId }).run(client);
  return row !== undefined;
}

/** The creator's usable channels, in the order they became theirs (the Mini App selects the last new one). */
export async function selectChannelsOfAdmin(client: db.Queryable, userId: number): Promise<ChannelRow[]> {
  return db.sql<s.channels.SQL | s.channel_admins.SQL, ChannelRow[]>`
    SELECT c.* FROM ${'channel_admins'} a JOIN ${'channels'} c ON c.${'id'} = a.${'channel_id'}
    WHERE a.${'user_id'} = ${db.param(userId)} AND c.${'bot_status'} = ANY(${db.param(BOT_PRESENT)}::text[])
    ORDER BY a.${'created_at'}, c.${'id'}
    LIMIT 200`.run(client);
}

export interface AffectedGiveaway {
  giveaway_id: string;
  creator_id: number;
  title: string;
}

/**
 * Sets `checkable` on the channel's subscription/boost requirements of live giveaways and returns the
 * giveaways where something changed (so each creator is told once per change, not per redelivered update).
 */
export async function setRequirementsCheckable(
  client: db.Queryable,
  channelId: number,
  checkable: boolean,
): Promise<AffectedGiveaway[]> {
  const rows = await db.sql<
    s.requirements.SQL | s.giveaways.SQL,
    Array<{ giveaway_id: string; creator_id: string; title: string }>
  >`
    WITH changed AS (
      UPDATE ${'requirements'} r SET ${'checkable'} = ${db.param(checkable)}
      FROM ${'giveaways'} g
      WHERE g.${'id'} = r.${'giveaway_id'} AND g.${'status'} = ANY(${db.param(LIVE)}::giveaway_status[])
        AND r.${'channel_id'} = ${db.param(channelId)} AND r.${'type'} IN ('subscription', 'boost')
        AND r.${'checkable'} <> ${db.param(checkable)}
      RETURNING r.${'giveaway_id'}, g.${'creator_id'}, g.${'title'})
    SELECT DISTINCT giveaway_id, creator_id, title FROM changed`.run(client);
  return rows.map((r) => ({ giveaway_id: r.giveaway_id, creator_id: Number(r.creator_id), title: r.title }));
}

export async function setBotBlocked(client: db.Queryable, userId: number, blocked: boolean): Promise<void> {
  await db.update('users', { bot_blocked_at: blocked ? db.sql`now()` : null }, { id: userId }).run(client);
}

/**
 * Whether the database records this chat: a channel the bot was added to, a giveaway's sponsor, or the
 * channel of a requirement (imported giveaways may name channels the bot never reported). The public avatar
 * proxy serves only these, so an unknown id costs a query, never a Bot API call. Every branch is indexed
 * except sponsor usernames (a small table).
 */
export async function isKnownChat(client: db.Queryable, chat: number | string): Promise<boolean> {
  const rows =
    typeof chat === 'number'
      ? await db.sql<s.channels.SQL | s.sponsors.SQL | s.requirements.SQL, Array<{ known: boolean }>>`
          SELECT EXISTS (SELECT 1 FROM ${'channels'} WHERE ${'id'} = ${db.param(chat)})
              OR EXISTS (SELECT 1 FROM ${'sponsors'} WHERE ${'id'} = ${db.param(chat)})
              OR EXISTS (SELECT 1 FROM ${'requirements'} WHERE ${'channel_id'} = ${db.param(chat)}) AS known`.run(
          client,
        )
      : await db.sql<s.channels.SQL | s.sponsors.SQL, Array<{ known: boolean }>>`
          SELECT EXISTS (SELECT 1 FROM ${'channels'} WHERE lower(${'username'}) = lower(${db.param(chat)}))
              OR EXISTS (SELECT 1 FROM ${'sponsors'} WHERE lower(${'username'}) = lower(${db.param(chat)}))
              AS known`.run(client);
  return rows[0]?.known === true;
}
