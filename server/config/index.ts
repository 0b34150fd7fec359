// Public surface of the config capability: load once in main.ts, pass the Config down.
export { loadConfig, loadProcessConfig, withDotEnv, describeConfig, ConfigError } from './load-config.ts';
export type { Config, DatabaseConfig, RedisConfig, SslMode, LogLevel } from './config.ts';
export { ENV_SPEC, ROLE_NAMES, type Role, type EnvName } from './env-spec.ts';
