// SQL of the giveaways capability: create, read views (one statement each, via lateral subqueries), keyset
// lists, edits, deletes. The join path's batch statement lives in server/joins.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';

/** Everything a view needs besides requirements, in the same statement as the giveaway row. */
const viewLateral = () => ({
  prizes: db.select(
    'giveaway_prizes',
    { giveaway_id: db.parent('id') },
    {
      columns: ['place', 'title', 'description', 'quantity', 'position'],
      order: { by: 'position', direction: 'ASC' },
    },
  ),
  sponsors: db.select(
    'giveaway_sponsors',
    { giveaway_id: db.parent('id') },
    {
      columns: ['position'],
      order: { by: 'position', direction: 'ASC' },
      lateral: { sponsor: db.selectExactlyOne('sponsors', { id: db.parent('sponsor_id') }) },
    },
  ),
  commitment: db.selectOne(
    'draw_commitments',
    { giveaway_id: db.parent('id') },
    { columns: ['seed_commitment', 'beacon', 'entrants_root', 'entrants_count'] },
  ),
  // Drawn giveaways (including manual and imported ones) publish the entrant root in their proof.
  proof: db.selectOne(
    'draw_proofs',
    { giveaway_id: db.parent('id') },
    { columns: ['entrants_root', 'entrants_count'] },
  ),
});

export type GiveawayRow = Awaited<ReturnType<typeof selectGiveawayView>> & object;

export async function selectGiveawayView(client: db.Queryable, id: string) {
  return db.selectOne('giveaways', { id }, { lateral: viewLateral() }).run(client);
}

export async function selectGiveaway(client: db.Queryable, id: string, lock = false) {
  return db.selectOne('giveaways', { id }, lock ? { lock: { for: 'UPDATE' } } : {}).run(client);
}

/** Winners with their profile and prizes, in place order. */
export async function selectWinners(client: db.Queryable, giveawayId: string) {
  return db
    .select(
      'winners',
      { giveaway_id: giveawayId },
      {
        order: { by: 'place', direction: 'ASC' },
        lateral: {
          user: db.selectOne(
            'users',
            { id: db.parent('user_id') },
            { columns: ['username', 'first_name', 'last_name', 'avatar_url'] },
          ),
          prizes: db.select(
            'win_records',
            { giveaway_id: db.parent('giveaway_id'), place: db.parent('place') },
            {
              columns: ['prize_title', 'prize_description', 'quantity'],
              order: { by: 'created_at', direction: 'ASC' },
            },
          ),
        },
      },
    )
    .run(client);
}

/** Places left empty by their claim deadline (no reserve was left), from the public winner events. */
export async function selectVacantPlaces(client: db.Queryable, giveawayId: string) {
  return db.sql<db.SQL, Array<{ place: number; previous_user_id: string; reason: string; created_at: Date }>>`
    SELECT e.place, e.previous_user_id, e.reason, e.created_at FROM winner_events e
    WHERE e.giveaway_id = ${db.param(giveawayId)} AND e.kind = 'changed' AND e.user_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM winners w WHERE w.giveaway_id = e.giveaway_id AND w.place = e.place)
    ORDER BY e.place`.run(client);
}

export async function selectCallerRelation(client: db.Queryable, giveawayId: string, userId: number) {
  const [participant, winner, tickets] = await Promise.all([
    db
      .selectOne('participants', { giveaway_id: giveawayId, user_id: userId }, { columns: ['joined_at'] })
      .run(client),
    db.selectOne('winners', { giveaway_id: giveawayId, user_id: userId }, { columns: ['place'] }).run(client),
    db.selectOne('tickets', { giveaway_id: giveawayId, user_id: userId }, { columns: ['count'] }).run(client),
  ]);
  return {
    isParticipant: participant !== undefined,
    isWinner: winner !== undefined,
    tickets: tickets?.count ?? 0,
  };
}

export type ListOrder = 'newest' | 'top' | 'ended';
export interface ListPage {
  limit: number;
  offset: number;
  /** Decoded keyset cursor: the order columns of the last row of the previous page. */
  after?: { a: string | number; b: string; c: string } | undefined;
}

const ORDER_COLUMNS: Record<ListOrder, [db.SQLFragment, db.SQLFragment, db.SQLFragment]> = {
  newest: [db.sql`${'created_at'}`, db.sql`${'created_at'}`, db.sql`${'id'}`],
  top: [db.sql`${'participants_count'}`, db.sql`${'created_at'}`, db.sql`${'id'}`],
  ended: [db.sql`${'ends_at'}`, db.sql`${'ends_at'}`, db.sql`${'id'}`],
};

/** One page of giveaway views matching `where`, newest/top/ended first, by keyset or offset. */
export async function selectGiveawayPage(
  client: db.Queryable,
  where: db.SQLFragment,
  order: ListOrder,
  page: ListPage,
) {
  const [a, b, c] = ORDER_COLUMNS[order];
  const after = page.after
    ? order === 'top'
      ? db.sql`(${a}, ${b}, ${c}) < (${db.param(Number(page.after.a))}::int, ${db.param(page.after.b)}::timestamptz, ${db.param(page.after.c)}::uuid)`
      : db.sql`(${a}, ${c}) < (${db.param(String(page.after.a))}::timestamptz, ${db.param(page.after.c)}::uuid)`
    : db.sql`true`;
  const orderBy = order === 'top' ? db.sql`${a} DESC, ${b} DESC, ${c} DESC` : db.sql`${a} DESC, ${c} DESC`;
  const ids = await db.sql<s.giveaways.SQL, Array<{ id: string }>>`
    SELECT ${'id'} FROM ${'giveaways'} WHERE ${where} AND ${after}
    ORDER BY ${orderBy} LIMIT ${db.param(page.limit + 1)} OFFSET ${db.param(page.after ? 0 : page.offset)}`.run(
    client,
  );
  if (ids.length === 0) return { rows: [], hasMore: false };
  const hasMore = ids.length > page.limit;
  const wanted = ids.slice(0, page.limit).map((r) => r.id);
  const rows = await db
    .select('giveaways', { id: db.conditions.isIn(wanted) }, { lateral: viewLateral() })
    .run(client);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: wanted.flatMap((id) => byId.get(id) ?? []), hasMore };
}

export const where = {
  creator: (creatorId: number, statuses?: readonly s.giveaway_status[]) =>
    statuses
      ? db.sql<s.giveaways.SQL>`${'creator_id'} = ${db.param(creatorId)} AND ${'status'} = ANY(${db.param(statuses)}::giveaway_status[])`
      : db.sql<s.giveaways.SQL>`${'creator_id'} = ${db.param(creatorId)}`,
  participant: (userId: number, statuses: readonly s.giveaway_status[]) =>
    db.sql<
      s.giveaways.SQL | s.participants.SQL
    >`${'id'} IN (SELECT ${'giveaway_id'} FROM ${'participants'} WHERE ${'user_id'} = ${db.param(userId)})
      AND ${'status'} = ANY(${db.param(statuses)}::giveaway_status[])`,
  top: (minParticipants: number) =>
    db.sql<s.giveaways.SQL>`${'status'} = 'active' AND ${'participants_count'} >= ${db.param(minParticipants)}`,
};

export interface NewGiveaway {
  creator_id: number;
  title: string;
  description: string;
  status: 'active' | 'scheduled';
  started_at: Date;
  ends_at: Date;
  duration: number;
  winners_count: number;
  reserves_count: number;
  max_participants: number;
  allow_tickets: boolean;
  /** Seconds each winner has to claim; null: no claim needed. */
  claim_window: number | null;
  recreated_from?: string | null;
}

export async function insertGiveaway(tx: db.Queryable, g: NewGiveaway) {
  return db.insert('giveaways', g).run(tx);
}

export interface NewPrize {
  place: number | null;
  title: string;
  description: string;
  quantity: number;
}

export async function replacePrizes(tx: db.Queryable, giveawayId: string, prizes: readonly NewPrize[]) {
  await db.deletes('giveaway_prizes', { giveaway_id: giveawayId }).run(tx);
  if (prizes.length === 0) return;
  await db
    .insert(
      'giveaway_prizes',
      prizes.map((p, position) => ({ giveaway_id: giveawayId, position, ...p })),
    )
    .run(tx);
}

export async function replaceSponsors(tx: db.Queryable, giveawayId: string, sponsorIds: readonly number[]) {
  await db.deletes('giveaway_sponsors', { giveaway_id: giveawayId }).run(tx);
  if (sponsorIds.length === 0) return;
  await db
    .insert(
      'giveaway_sponsors',
      sponsorIds.map((sponsor_id, position) => ({ giveaway_id: giveawayId, sponsor_id, position })),
    )
    .run(tx);
}

/**
 * Copies the caller's administered channels into the sponsor registry and returns the ids it found, so the
 * service can refuse channels the creator does not administer (the legacy system trusted the client).
 */
export async function upsertSponsorsFromAdministeredChannels(
  tx: db.Queryable,
  userId: number,
  channelIds: readonly number[],
) {
  if (channelIds.length === 0) return [];
  const rows = await db.sql<s.sponsors.SQL, Array<{ id: string }>>`
    INSERT INTO ${'sponsors'} (${'id'}, ${'username'}, ${'title'}, ${'channel_url'})
    SELECT c.id, c.username, c.title,
           COALESCE(c.invite_url, CASE WHEN c.username IS NOT NULL THEN 'https://t.me/' || c.username END)
    FROM channels c JOIN channel_admins a ON a.channel_id = c.id
    WHERE a.user_id = ${db.param(userId)} AND c.id = ANY(${db.param(channelIds)}::bigint[])
      AND c.bot_status IN ('administrator', 'creator', 'member')
    ON CONFLICT (${'id'}) DO UPDATE SET ${'username'} = EXCLUDED.${'username'}, ${'title'} = EXCLUDED.${'title'},
      ${'channel_url'} = EXCLUDED.${'channel_url'}
    RETURNING ${'id'}`.run(tx);
  return rows.map((r) => Number(r.id));
}

export async function updateGiveawayFields(
  tx: db.Queryable,
  id: string,
  fields: Partial<
    Pick<s.giveaways.Updatable, 'title' | 'description' | 'status' | 'finished_at' | 'claim_window'>
  >,
) {
  const rows = await db.update('giveaways', fields, { id }).run(tx);
  return rows[0];
}

export async function deleteGiveaway(tx: db.Queryable, id: string) {
  const rows = await db.deletes('giveaways', { id }, { returning: ['id'] }).run(tx);
  return rows.length > 0;
}

export async function selectPrizes(client: db.Queryable, giveawayId: string) {
  return db
    .select('giveaway_prizes', { giveaway_id: giveawayId }, { order: { by: 'position', direction: 'ASC' } })
    .run(client);
}

export async function selectSponsorIds(client: db.Queryable, giveawayId: string) {
  const rows = await db
    .select('giveaway_sponsors', { giveaway_id: giveawayId }, { order: { by: 'position', direction: 'ASC' } })
    .run(client);
  return rows.map((r) => Number(r.sponsor_id));
}

export async function addTickets(tx: db.Queryable, giveawayId: string, userId: number, count: number) {
  const rows = await db.sql<s.tickets.SQL, Array<{ count: number }>>`
    INSERT INTO ${'tickets'} (${'giveaway_id'}, ${'user_id'}, ${'count'})
    VALUES (${db.param(giveawayId)}, ${db.param(userId)}, ${db.param(count)})
    ON CONFLICT (${'giveaway_id'}, ${'user_id'}) DO UPDATE SET ${'count'} = ${'tickets'}.${'count'} + EXCLUDED.${'count'}
    RETURNING ${'count'}`.run(tx);
  return rows[0]?.count ?? 0;
}

export async function isParticipant(client: db.Queryable, giveawayId: string, userId: number) {
  return (
    (await db.selectOne('participants', { giveaway_id: giveawayId, user_id: userId }).run(client)) !==
    undefined
  );
}

/** Prizes and sponsors live in other tables: their edits bump the giveaway's content_version explicitly. */
export async function bumpContentVersion(tx: db.Queryable, id: string) {
  await db.sql<s.giveaways.SQL>`UPDATE ${'giveaways'} SET ${'content_version'} = ${'content_version'} + 1
    WHERE ${'id'} = ${db.param(id)}`.run(tx);
}
