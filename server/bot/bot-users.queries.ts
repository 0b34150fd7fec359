// SQL of the bot's view of users: the profile Telegram sends with each update, kept fresh without touching
// role, status, wallet or the Mini App's photo.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';

export interface BotUserProfile {
  id: number;
  username: string | null;
  firstName: string;
  lastName: string;
  languageCode: string | null;
  isPremium: boolean;
}

/** `reachable`: the user just wrote to the bot in private, so a recorded block is over. */
export async function upsertBotUser(
  client: db.Queryable,
  p: BotUserProfile,
  reachable: boolean,
): Promise<{ role: s.user_role; status: s.user_status }> {
  const rows = await db.sql<s.users.SQL, Array<{ role: s.user_role; status: s.user_status }>>`
    INSERT INTO ${'users'} (${'id'}, ${'username'}, ${'first_name'}, ${'last_name'}, ${'language_code'}, ${'is_premium'})
    VALUES (${db.param(p.id)}, ${db.param(p.username)}, ${db.param(p.firstName)}, ${db.param(p.lastName)},
            ${db.param(p.languageCode)}, ${db.param(p.isPremium)})
    ON CONFLICT (${'id'}) DO UPDATE SET
      ${'username'} = EXCLUDED.${'username'}, ${'first_name'} = EXCLUDED.${'first_name'},
      ${'last_name'} = EXCLUDED.${'last_name'}, ${'language_code'} = EXCLUDED.${'language_code'},
      ${'is_premium'} = EXCLUDED.${'is_premium'},
      ${'bot_blocked_at'} = CASE WHEN ${db.param(reachable)} THEN NULL ELSE ${'users'}.${'bot_blocked_at'} END
    RETURNING ${'role'}, ${'status'}`.run(client);
  const row = rows[0];
  if (!row) throw new Error('user upsert returned no row');
  return row;
}
