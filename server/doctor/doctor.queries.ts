// The doctor's reads of PostgreSQL: server facts and the channels live giveaways depend on.
import type pg from 'pg';

export async function serverFacts(client: pg.ClientBase) {
  const { rows } = await client.query<{ version: string; num: number; used: number; max: number }>(
    `SELECT current_setting('server_version') AS version,
            current_setting('server_version_num')::int AS num,
            (SELECT count(*)::int FROM pg_stat_activity) AS used,
            current_setting('max_connections')::int AS max`,
  );
  const row = rows[0];
  if (!row) throw new Error('PostgreSQL returned no server facts');
  return row;
}

/**
 * Channels that requirements of live giveaways check, where the bot is not an administrator able to read
 * members: their subscription checks cannot work. Only meaningful once the schema exists.
 */
export async function channelsLackingAdmin(client: pg.ClientBase) {
  const { rows } = await client.query<{ id: string; title: string | null; username: string | null }>(
    `SELECT DISTINCT r.channel_id::text AS id, c.title, coalesce(c.username, r.channel_username) AS username
       FROM requirements r
       JOIN giveaways g ON g.id = r.giveaway_id
       LEFT JOIN channels c ON c.id = r.channel_id
      WHERE r.channel_id IS NOT NULL
        AND g.status IN ('scheduled', 'active', 'drawing', 'pending')
        AND (c.id IS NULL OR c.bot_status NOT IN ('administrator', 'creator') OR NOT c.bot_can_check_members)
      LIMIT 20`,
  );
  return rows;
}
