// Builders for giveaway tests: a valid Mini App create body, and channels a creator administers.
import type pg from 'pg';

export function createBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Win a prize',
    description: 'A test giveaway',
    duration: 3600,
    winners_count: 2,
    prizes: [{ place: 1, title: 'Stars', description: '100 stars', quantity: 3 }],
    requirements: [],
    sponsors: [],
    ...overrides,
  };
}

/** What the bot records when added to a channel: the chat and its administrators. */
export async function administerChannel(pool: pg.Pool, userId: number, channelId: number, username: string) {
  await pool.query(
    `INSERT INTO channels (id, type, title, username, bot_status, bot_can_check_members)
     VALUES ($1, 'channel', $2, $3, 'administrator', true) ON CONFLICT (id) DO NOTHING`,
    [channelId, `Channel ${username}`, username],
  );
  await pool.query(
    `INSERT INTO channel_admins (channel_id, user_id, status) VALUES ($1, $2, 'creator') ON CONFLICT DO NOTHING`,
    [channelId, userId],
  );
}
