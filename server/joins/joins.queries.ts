// The join write path's one statement: a whole batch of joins across giveaways, decided atomically in SQL.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';

export type JoinOutcome = 'joined' | 'already_joined' | 'closed' | 'full' | 'creator' | 'not_found';

export interface JoinRequest {
  giveawayId: string;
  userId: number;
  source: s.participant_source;
}

/**
 * Locks each touched giveaway row once (in id order, so concurrent batches from other nodes cannot
 * deadlock), inserts the admissible participants with ON CONFLICT DO NOTHING, refuses rows at or after
 * ends_at (clock time, not the next scheduler tick), on a non-active status or beyond max_participants,
 * and adds the inserted count to participants_count: one UPDATE per giveaway per batch, so one NOTIFY
 * (from the version trigger) per batch rather than per join.
 */
export async function applyJoinBatch(
  client: db.Queryable,
  requests: readonly JoinRequest[],
): Promise<JoinOutcome[]> {
  const rows = await db.sql<db.SQL, Array<{ ord: number; outcome: JoinOutcome }>>`
    WITH req AS (
      SELECT * FROM unnest(
        ${db.param(requests.map((_, i) => i))}::int[],
        ${db.param(requests.map((r) => r.giveawayId))}::uuid[],
        ${db.param(requests.map((r) => r.userId))}::bigint[],
        ${db.param(requests.map((r) => r.source))}::participant_source[]
      ) AS t(ord, giveaway_id, user_id, source)
    ),
    g AS (
      SELECT id, status, ends_at, closed_at, max_participants, participants_count, creator_id
      FROM giveaways WHERE id IN (SELECT giveaway_id FROM req)
      ORDER BY id FOR UPDATE
    ),
    existing AS (
      SELECT p.giveaway_id, p.user_id FROM participants p
      JOIN req r ON r.giveaway_id = p.giveaway_id AND r.user_id = p.user_id
    ),
    open_req AS (
      SELECT DISTINCT ON (r.giveaway_id, r.user_id) r.*
      FROM req r JOIN g ON g.id = r.giveaway_id
      JOIN users u ON u.id = r.user_id
      WHERE g.status = 'active' AND clock_timestamp() < g.ends_at AND g.closed_at IS NULL
        AND r.user_id <> g.creator_id
        AND NOT EXISTS (SELECT 1 FROM existing e WHERE e.giveaway_id = r.giveaway_id AND e.user_id = r.user_id)
      ORDER BY r.giveaway_id, r.user_id, r.ord
    ),
    ranked AS (
      SELECT o.*, row_number() OVER (PARTITION BY o.giveaway_id ORDER BY o.ord) AS rn FROM open_req o
    ),
    admitted AS (
      SELECT r.* FROM ranked r JOIN g ON g.id = r.giveaway_id
      WHERE g.max_participants = 0 OR g.participants_count + r.rn <= g.max_participants
    ),
    ins AS (
      INSERT INTO participants (giveaway_id, user_id, source)
      SELECT giveaway_id, user_id, source FROM admitted
      ON CONFLICT DO NOTHING
      RETURNING giveaway_id, user_id
    ),
    bump AS (
      UPDATE giveaways SET participants_count = giveaways.participants_count + c.n
      FROM (SELECT giveaway_id, count(*)::int AS n FROM ins GROUP BY giveaway_id) c
      WHERE giveaways.id = c.giveaway_id
      RETURNING giveaways.id
    ) -- Data-modifying CTEs always run, referenced or not.
    SELECT r.ord, CASE
        WHEN g.id IS NULL THEN 'not_found'
        WHEN i.user_id IS NOT NULL AND first_try.ord = r.ord THEN 'joined'
        WHEN i.user_id IS NOT NULL OR e.user_id IS NOT NULL THEN 'already_joined'
        -- Admitted but not inserted: a concurrent batch inserted it after our snapshot.
        WHEN a.user_id IS NOT NULL THEN 'already_joined'
        WHEN r.user_id = g.creator_id THEN 'creator'
        WHEN g.status <> 'active' OR clock_timestamp() >= g.ends_at OR g.closed_at IS NOT NULL THEN 'closed'
        WHEN NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id) THEN 'not_found'
        ELSE 'full' END AS outcome
    FROM req r
    LEFT JOIN g ON g.id = r.giveaway_id
    LEFT JOIN ins i ON i.giveaway_id = r.giveaway_id AND i.user_id = r.user_id
    LEFT JOIN existing e ON e.giveaway_id = r.giveaway_id AND e.user_id = r.user_id
    LEFT JOIN admitted a ON a.giveaway_id = r.giveaway_id AND a.user_id = r.user_id
    LEFT JOIN open_req first_try ON first_try.giveaway_id = r.giveaway_id AND first_try.user_id = r.user_id
    ORDER BY r.ord`.run(client);
  const outcomes = new Array<JoinOutcome>(requests.length).fill('not_found');
  for (const row of rows) outcomes[row.ord] = row.outcome;
  return outcomes;
}

export async function selectJoinGate(client: db.Queryable, giveawayId: string) {
  return db
    .selectOne(
      'giveaways',
      { id: giveawayId },
      {
        columns: ['status', 'ends_at', 'creator_id', 'max_participants', 'participants_count'],
        lateral: { requirements: db.count('requirements', { giveaway_id: db.parent('id') }) },
      },
    )
    .run(client);
}

export async function isParticipant(client: db.Queryable, giveawayId: string, userId: number) {
  return (
    (await db.selectOne('participants', { giveaway_id: giveawayId, user_id: userId }).run(client)) !==
    undefined
  );
}
