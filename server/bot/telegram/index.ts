// The Bot API layer shared by the bot, channels and notifications: client, errors, pacing and retries.
// A leaf: nothing here imports other capabilities, so they can all depend on it without cycles.
export {
  TelegramClient,
  toTelegramError,
  type SendOptions,
  type TelegramClientOptions,
} from './telegram-client.ts';
export {
  TelegramError,
  classifyApiError,
  isUnreachableRecipient,
  type TelegramErrorKind,
} from './telegram-error.ts';
export { createThrottler, type ThrottleOptions } from './throttle.ts';
export { createAutoRetry, type AutoRetryOptions } from './auto-retry.ts';
