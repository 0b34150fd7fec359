// The typed, frozen Config the whole server receives. Built once at boot by loadConfig.
import type { Role } from './env-spec.ts';
import type { RateLimitSettings } from './rate-limit-settings.ts';
import type { TelegramCacheSettings } from './telegram-cache-settings.ts';
import type { TrustProxy } from './parsers.ts';

export type { TrustProxy };

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

export interface TonSettings {
  tonapiBaseUrl: string;
  tonapiKey: string | undefined;
  tonapiRps: number;
  network: 'mainnet' | 'testnet';
  proofDomains: readonly string[];
  proofPayloadTtlMs: number;
}

export interface Config {
  /** Said once at boot (not fatal): a variable that looks like ours but is not read, a shadowed alias. */
  warnings: readonly string[];
  roles: ReadonlySet<Role>;
  cluster: boolean;
  debug: boolean;
  logLevel: LogLevel;
  /** undefined: pretty on a TTY, JSON otherwise. */
  logFormat: 'json' | 'pretty' | undefined;
  /** The local sandbox (SANDBOX): demo users signed with a secret kept in `secretFile`. */
  sandbox: { enabled: boolean; secretFile: string };
  shutdownTimeoutMs: number;
  http: { port: number; origin: string; publicBaseUrl: string };
  /** TRUST_PROXY: whose X-Forwarded-For names the client, for Express and the socket handshake alike. */
  trustProxy: TrustProxy;
  realtime: { port: number; publicUrl: string | undefined };
  database: DatabaseConfig;
  /** null = single-node mode. */
  redis: RedisConfig | null;
  rateLimit: RateLimitSettings;
  draws: { drandUrls: readonly string[] };
  giveaways: { startHorizonDays: number };
  /** The join batcher: rows per statement, linger of a batch's first join, batches in flight. */
  joins: { batchMax: number; batchDelayMs: number; lanes: number };
  webhooks: { allowHttp: boolean; allowPrivate: boolean };
  ton: TonSettings;
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
    /** TTLs of the shared Bot API read cache. */
    cache: TelegramCacheSettings;
  };
}
