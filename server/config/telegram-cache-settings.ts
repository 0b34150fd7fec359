// How long the shared Bot API cache keeps each kind of answer (TELEGRAM_CACHE_*): configuration owns the
// settings and their defaults; platform/telegram reads them (one direction).

/** Seconds per cached read; 0 turns that cache off. Fractions are allowed (tests use short TTLs). */
export interface TelegramCacheSettings {
  /** getChat: title, username, photo, invite link. */
  chatSec: number;
  /** getChatMember: a user's (or the bot's) status in a chat. */
  memberSec: number;
  /** getChatAdministrators. */
  adminsSec: number;
  /** getUserChatBoosts. */
  boostsSec: number;
  /** getFile: the download path of a file id (Telegram keeps links valid for at least an hour). */
  filePathSec: number;
  /** A definite refusal of any of the above (chat not found, forbidden, bad request); never longer. */
  negativeSec: number;
}

/**
 * Env defaults. Member and boost answers live as long as the requirement result cache (30 s), so a user who
 * just subscribed waits no longer than before; chat facts change rarely and the bot's own status is
 * forgotten at once when a my_chat_member update arrives.
 */
export const TELEGRAM_CACHE_ENV_DEFAULTS = {
  TELEGRAM_CACHE_CHAT_TTL: '5m',
  TELEGRAM_CACHE_MEMBER_TTL: '30s',
  TELEGRAM_CACHE_ADMINS_TTL: '5m',
  TELEGRAM_CACHE_BOOSTS_TTL: '30s',
  TELEGRAM_CACHE_FILE_TTL: '50m',
  TELEGRAM_CACHE_NEGATIVE_TTL: '60s',
} as const;

export const DEFAULT_TELEGRAM_CACHE_SETTINGS: TelegramCacheSettings = {
  chatSec: 300,
  memberSec: 30,
  adminsSec: 300,
  boostsSec: 30,
  filePathSec: 3000,
  negativeSec: 60,
};
