// Public surface of the config capability: load once in main.ts, pass the Config down.
export { loadConfig, loadProcessConfig, withDotEnv, describeConfig, ConfigError } from './load-config.ts';
export type {
  Config,
  DatabaseConfig,
  RedisConfig,
  SslMode,
  LogLevel,
  TonSettings,
  TrustProxy,
} from './config.ts';
export {
  rateSpec,
  RATE_LIMIT_ENV_DEFAULTS,
  DEFAULT_RATE_LIMIT_SETTINGS,
  type RateSpec,
  type RateLimitSettings,
} from './rate-limit-settings.ts';
export {
  TELEGRAM_CACHE_ENV_DEFAULTS,
  DEFAULT_TELEGRAM_CACHE_SETTINGS,
  type TelegramCacheSettings,
} from './telegram-cache-settings.ts';
export { ENV_SPEC, ROLE_NAMES, type Role, type EnvName } from './env-spec.ts';
export { findUnknownEnv, knownEnvNames, editDistance, type UnknownEnv } from './unknown-env.ts';
