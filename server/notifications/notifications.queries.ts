// SQL of notifications: the per-recipient delivery ledger (intent before sending, message id after) and
// the few giveaway facts the messages show.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';
import type { NotificationKind, NotificationStatus } from '../../schema/contract/telegram.ts';

export interface NotificationKey {
  giveawayId: string;
  kind: NotificationKind;
  recipientId: number;
}

const where = (k: NotificationKey) => ({
  giveaway_id: k.giveawayId,
  kind: k.kind,
  recipient_id: k.recipientId,
});
const clipError = (text: string) => text.slice(0, 500);

export async function ensureNotification(client: db.Queryable, key: NotificationKey): Promise<void> {
  await db
    .upsert('notifications', where(key), ['giveaway_id', 'kind', 'recipient_id'], {
      updateColumns: db.doNothing,
    })
    .run(client);
}

export async function selectStatus(
  client: db.Queryable,
  key: NotificationKey,
): Promise<NotificationStatus | undefined> {
  const row = await db.selectOne('notifications', where(key), { columns: ['status'] }).run(client);
  return row?.status;
}

/**
 * Claims the recipient for one send: queued → sending, or a `sending` whose claim is older than the lease
 * (its worker died). Committed before the Bot API call, so the intent survives a crash. Returns the
 * status it replaced, or undefined when someone else holds it or it is already settled.
 */
export async function claim(
  client: db.Queryable,
  key: NotificationKey,
  leaseSec: number,
): Promise<{ previous: NotificationStatus; attempts: number } | undefined> {
  const rows = await db.sql<s.notifications.SQL, Array<{ previous: NotificationStatus; attempts: number }>>`
    UPDATE ${'notifications'} n
    SET ${'status'} = 'sending', ${'attempts'} = n.${'attempts'} + 1, ${'claimed_at'} = now(),
        ${'next_attempt_at'} = NULL
    FROM (SELECT ${'id'}, ${'status'} AS previous FROM ${'notifications'}
          WHERE ${'giveaway_id'} = ${db.param(key.giveawayId)} AND ${'kind'} = ${db.param(key.kind)}
            AND ${'recipient_id'} = ${db.param(key.recipientId)}
          FOR UPDATE) p
    WHERE n.${'id'} = p.${'id'}
      AND (n.${'status'} = 'queued'
           OR (n.${'status'} = 'sending' AND n.${'claimed_at'} < now() - make_interval(secs => ${db.param(leaseSec)})))
    RETURNING p.previous, n.${'attempts'}`.run(client);
  return rows[0];
}

/** Only a claimed row becomes sent: a late duplicate worker cannot overwrite a settled outcome. */
export async function markSent(client: db.Queryable, key: NotificationKey, messageId: number): Promise<void> {
  await db
    .update(
      'notifications',
      {
        status: 'sent',
        sent_at: db.sql`now()`,
        telegram_message_id: messageId,
        last_error: null,
        claimed_at: null,
      },
      { ...where(key), status: 'sending' },
    )
    .run(client);
}

export async function markQueued(
  client: db.Queryable,
  key: NotificationKey,
  error: string,
  nextAttemptAt: Date | null = null,
): Promise<void> {
  await db
    .update(
      'notifications',
      { status: 'queued', last_error: clipError(error), claimed_at: null, next_attempt_at: nextAttemptAt },
      { ...where(key), status: 'sending' },
    )
    .run(client);
}

export async function markFailed(client: db.Queryable, key: NotificationKey, error: string): Promise<void> {
  await db
    .update(
      'notifications',
      { status: 'failed', last_error: clipError(error), claimed_at: null },
      { ...where(key), status: db.conditions.isIn(['queued', 'sending'] as const) },
    )
    .run(client);
}

/** 403: the recipient cannot be messaged. For a user, also recorded on the user (users.bot_blocked_at). */
export async function markBlocked(client: db.Queryable, key: NotificationKey, error: string): Promise<void> {
  await db
    .update(
      'notifications',
      { status: 'blocked', last_error: clipError(error), claimed_at: null },
      { ...where(key), status: 'sending' },
    )
    .run(client);
  if (key.recipientId > 0) {
    await db.update('users', { bot_blocked_at: db.sql`now()` }, { id: key.recipientId }).run(client);
  }
}

export type NotificationRow = s.notifications.JSONSelectable;

/**
 * The ledger of a giveaway, plus its winners that have no row yet (their job has not run): those show as
 * queued, so the owner sees every recipient from the moment the draw commits.
 */
export async function selectForGiveaway(client: db.Queryable, giveawayId: string) {
  return db.sql<
    s.notifications.SQL | s.winners.SQL,
    Array<{
      kind: string;
      recipient_id: string;
      status: NotificationStatus;
      attempts: number;
      last_error: string | null;
      sent_at: Date | null;
      telegram_message_id: string | null;
      updated_at: Date | null;
    }>
  >`
    SELECT ${'kind'}, ${'recipient_id'}, ${'status'}, ${'attempts'}, ${'last_error'}, ${'sent_at'},
           ${'telegram_message_id'}, ${'updated_at'}
    FROM ${'notifications'} WHERE ${'giveaway_id'} = ${db.param(giveawayId)}
    UNION ALL
    SELECT 'winner', w.${'user_id'}, 'queued', 0, NULL, NULL, NULL, NULL
    FROM ${'winners'} w
    WHERE w.${'giveaway_id'} = ${db.param(giveawayId)}
      AND NOT EXISTS (SELECT 1 FROM ${'notifications'} n WHERE n.${'giveaway_id'} = w.${'giveaway_id'}
                      AND n.${'kind'} = 'winner' AND n.${'recipient_id'} = w.${'user_id'})
    ORDER BY 1, 2
    LIMIT 5000`.run(client);
}

export async function selectGiveaway(client: db.Queryable, giveawayId: string) {
  const row = await db
    .selectOne(
      'giveaways',
      { id: giveawayId },
      { columns: ['id', 'title', 'status', 'creator_id', 'participants_count', 'ends_at'] },
    )
    .run(client);
  return row ? { ...row, creator_id: Number(row.creator_id) } : undefined;
}

/** The recipient's claim window on the place they hold now (none when the place passed on meanwhile). */
export async function selectClaimWindow(
  client: db.Queryable,
  giveawayId: string,
  userId: number,
): Promise<{ deadline: Date | null; claimed: boolean } | undefined> {
  const row = await db
    .selectOne(
      'winners',
      { giveaway_id: giveawayId, user_id: userId },
      { columns: ['claim_deadline', 'claimed_at'] },
    )
    .run(client);
  return (
    row && {
      deadline: row.claim_deadline ? new Date(row.claim_deadline) : null,
      claimed: row.claimed_at !== null,
    }
  );
}

export async function selectWinners(client: db.Queryable, giveawayId: string) {
  const rows = await db.sql<
    s.winners.SQL | s.users.SQL,
    Array<{ place: number; user_id: string; username: string | null; first_name: string }>
  >`
    SELECT w.${'place'}, w.${'user_id'}, u.${'username'}, u.${'first_name'}
    FROM ${'winners'} w JOIN ${'users'} u ON u.${'id'} = w.${'user_id'}
    WHERE w.${'giveaway_id'} = ${db.param(giveawayId)} ORDER BY w.${'place'} LIMIT 100`.run(client);
  return rows.map((r) => ({ ...r, user_id: Number(r.user_id) }));
}

export async function selectSponsorChannelIds(client: db.Queryable, giveawayId: string): Promise<number[]> {
  const rows = await db
    .select(
      'giveaway_sponsors',
      { giveaway_id: giveawayId },
      { columns: ['sponsor_id'], order: { by: 'position', direction: 'ASC' } },
    )
    .run(client);
  return rows.map((r) => Number(r.sponsor_id));
}

/** Names of the channel requirements the bot can no longer check, for the creator's warning. */
export async function selectUncheckableChannels(client: db.Queryable, giveawayId: string): Promise<string[]> {
  const rows = await db
    .select(
      'requirements',
      { giveaway_id: giveawayId, checkable: false },
      { columns: ['channel_username', 'name', 'channel_id'], order: { by: 'position', direction: 'ASC' } },
    )
    .run(client);
  return rows.map((r) => (r.channel_username ? `@${r.channel_username}` : (r.name ?? String(r.channel_id))));
}
