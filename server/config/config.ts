// The typed, frozen Config the whole server receives. Built once at boot by loadConfig.
import type { Role } from './env-spec.ts';
import type { RateLimitSettings } from '../platform/rate-limit/rate-limit-settings.ts';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type DatabaseConfig =
  | {
      kind: 'external';
      /** Connection string without TLS parameters; TLS is in `sslMode`. */
      url: string;
      sslMode: SslMode;
      sslRootCert: string | undefined;
      poolMax: number;
      poolIdleMax: number;
      connMaxLifetimeMs: number;
      autoMigrate: boolean;
    }
  | {
      kind: 'embedded';
      dataDir: string;
      port: number;
      database: string;
      poolMax: number;
      poolIdleMax: number;
      connMaxLifetimeMs: number;
      autoMigrate: boolean;
    };

export interface RedisConfig {
  url: string;
  /** The password is kept apart from the URL so logs never print it. */
  password: string | undefined;
  db: number;
  keyPrefix: string;
  maxInFlight: number;
}

export interface Config {
  roles: ReadonlySet<Role>;
  cluster: boolean;
  debug: boolean;
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
  http: { port: number; origin: string; publicBaseUrl: string };
  realtime: { port: number; publicUrl: string | undefined };
  database: DatabaseConfig;
  /** null = single-node mode. */
  redis: RedisConfig | null;
  rateLimit: RateLimitSettings;
  draws: { drandUrls: readonly string[] };
  telegram: {
    botToken: string | undefined;
    debug: boolean;
    initDataTtlSec: number;
    adminIds: readonly number[];
    apiRoot: string;
    botUsername: string | undefined;
    webhookUrl: string | undefined;
    webhookSecret: string | undefined;
    postResults: boolean;
    shareAnimationUrl: string | undefined;
  };
}
