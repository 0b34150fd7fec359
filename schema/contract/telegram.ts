// Wire shapes of the Telegram-facing REST surface: the creator's channels (mini-app-api §3.2), the bot
// presence probe (§3.17), channel info, per-recipient notification status and the share message (§3.10).
import { z } from 'zod';

/** A chat id as the Mini App sends it in check-bulk: a decimal string, possibly empty. */
const ChatIdString = z.string().max(32);
const Username = z.string().max(64);

/**
 * At most this many channels per check-bulk call, ids and usernames together: each distinct one costs up to
 * two Bot API calls on a cache miss (getChat, getChatMember); a giveaway names at most 10 requirements and
 * 3 sponsors.
 */
export const CHECK_BULK_MAX = 20;

/** `{channel_ids}` or `{usernames}` (either may be empty); at most CHECK_BULK_MAX channels per call. */
export const CheckBulkBody = z
  .object({
    channel_ids: z
      .array(ChatIdString)
      .max(CHECK_BULK_MAX, `at most ${CHECK_BULK_MAX} channels per call`)
      .optional(),
    usernames: z
      .array(Username)
      .max(CHECK_BULK_MAX, `at most ${CHECK_BULK_MAX} channels per call`)
      .optional(),
  })
  .strip()
  .superRefine((body, ctx) => {
    if ((body.channel_ids?.length ?? 0) + (body.usernames?.length ?? 0) > CHECK_BULK_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['usernames'],
        message: `at most ${CHECK_BULK_MAX} channels per call, ids and usernames together`,
      });
    }
  });
export type CheckBulkBody = z.infer<typeof CheckBulkBody>;

/** `:username` of GET /channels/:username/info: a public username, with or without `@`. */
export const ChannelUsernameParam = z.object({
  username: z
    .string()
    .transform((v) => v.replace(/^@/, ''))
    .pipe(z.string().regex(/^[A-Za-z0-9_]{4,32}$/, 'must be a Telegram username')),
});

/** `:chat` of the public avatar route: a chat id or a username. */
export const AvatarChatParam = z.object({
  chat: z
    .string()
    .transform((v) => v.replace(/^@/, ''))
    // Chat ids fit in 52 bits (15 digits are plenty and stay within int8 and a JS number); a username starts
    // with a letter, so a long digit string cannot pass as one.
    .pipe(z.string().regex(/^(-?\d{1,15}|[A-Za-z][A-Za-z0-9_]{3,31})$/, 'must be a chat id or a username')),
});

/** IChannelInfo: an item of GET /users/me/channels and the answer of /channels/:username/info. */
export interface ChannelInfo {
  id: number;
  title: string;
  username: string;
  type: string;
  avatar_url: string;
  channel_url: string;
  url: string;
}

export interface CheckBulkItem {
  username?: string;
  ok: boolean;
  /** Present whenever ok is false: shown to the creator by the Mini App. */
  error?: string;
  channel: { id: number; type: string; title: string; username: string; avatar_url: string; url: string };
  bot_status: { status: string; can_check_members: boolean };
}

/** Always an object with an array, even for an empty request (the legacy bare `[]` crashed the client). */
export interface CheckBulkResponse {
  results: CheckBulkItem[];
}

export const NOTIFICATION_KINDS = [
  'winner',
  'creator_pending',
  'creator_completed',
  'channel_lost',
  'results_post',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'failed', 'blocked'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface NotificationView {
  kind: NotificationKind;
  /** User id for DMs, chat id for channel posts. */
  recipient_id: number;
  status: NotificationStatus;
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
  telegram_message_id: number | null;
  updated_at: string | null;
}

/** GET /giveaways/:id/notifications (owner). */
export interface NotificationsResponse {
  giveaway_id: string;
  items: NotificationView[];
  summary: Record<NotificationStatus, number>;
}

/** POST /giveaways/:id/prepare-message (owner): the id for Telegram.WebApp.shareMessage. */
export interface PrepareMessageResponse {
  msg_id: string;
  cached: boolean;
}
