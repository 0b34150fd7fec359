// The Telegram platform part: the one Bot API client (calls, errors, the governor's pacing and flood pause,
// retries, the shared read cache), the shared TTL cache and the avatar proxy. A leaf: nothing here imports a capability, so every capability may depend on it.
export {
  TelegramClient,
  toTelegramError,
  type ReadOptions,
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
export { FloodPause, type FloodPauseOptions } from './flood-pause.ts';
export {
  BotApiCache,
  type BotApiCacheOptions,
  type BotApiCacheTtls,
  type CachedRead,
} from './bot-api-cache.ts';
export { createAutoRetry, type AutoRetryOptions } from './auto-retry.ts';
export { TtlCache, type TtlCacheOptions } from './ttl-cache.ts';
export { AvatarProxy, type AvatarProxyDeps, type AvatarTelegram } from './avatar-proxy.ts';
