// loadConfig: the only reader of the environment. Pure: env in, frozen Config out, or a ConfigError that
// lists every bad variable on its own line (name, what is wrong, an example of a good value).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import type { Config, DatabaseConfig, LogLevel, RedisConfig, SslMode, TrustProxy } from './config.ts';
import { ENV_SPEC, type EnvName, type EnvVar, type Role } from './env-spec.ts';
import { DEFAULT_RATE_LIMIT_SETTINGS as D } from './rate-limit-settings.ts';
import { DEFAULT_TELEGRAM_CACHE_SETTINGS as TC } from './telegram-cache-settings.ts';
import { describeUnknownEnv, findUnknownEnv } from './unknown-env.ts';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads `.env` when present. Variables already in the environment win over the file. */
export function withDotEnv(env: Env, path = '.env'): Env {
  if (!existsSync(path)) return env;
  return { ...parseEnv(readFileSync(path, 'utf8')), ...env };
}

export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const warnings: string[] = [];
  /** The variable that carries `name`'s value: itself, or the first alias set (the seed's spelling). */
  const source = (name: EnvName): string => {
    const given = (n: string) => env[n] !== undefined && env[n].trim() !== '';
    if (given(name)) return name;
    return (ENV_SPEC[name] as EnvVar<unknown>).aliases?.find(given) ?? name;
  };
  const read = <T>(name: EnvName): T | undefined => {
    const spec = ENV_SPEC[name] as EnvVar<T>;
    const from = source(name);
    const raw = env[from];
    const value = raw === undefined || raw.trim() === '' ? spec.default : raw;
    if (value === undefined) return undefined;
    const result = spec.parse.safeParse(value);
    if (result.success) return result.data;
    const shown = spec.secret
      ? ''
      : ` (got ${JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value)})`;
    const why = result.error.issues[0]?.message ?? 'is invalid';
    problems.push(`${from}: ${why}${shown}; example: ${from}=${spec.example}`);
    return undefined;
  };
  // Variables with a default always yield a value unless invalid; the fallback only keeps types simple,
  // since any invalid value throws below before the Config is used.
  const must = <T>(name: EnvName, fallback: T): T => read<T>(name) ?? fallback;

  const serverPort = must('SERVER_PORT', 8080);
  const debug = must('DEBUG', false);
  const logLevelRaw = env.LOG_LEVEL?.trim() ? must<LogLevel>('LOG_LEVEL', 'info') : debug ? 'debug' : 'info';
  const redis = readRedis(env, read, must);
  const cluster = must('CLUSTER', false);
  if (cluster && redis === null) {
    problems.push('CLUSTER: cluster mode needs Redis; example: REDIS_URL=redis://127.0.0.1:6379');
  }
  const botToken = read<string>('BOT_TOKEN');
  const sandboxMode = must<'auto' | 'on' | 'off'>('SANDBOX', 'auto');
  const production = env.NODE_ENV?.trim() === 'production';
  if (sandboxMode === 'on' && (production || botToken !== undefined)) {
    problems.push(
      `SANDBOX: the sandbox is refused ${production ? 'when NODE_ENV=production' : 'when BOT_TOKEN is set'}; example: SANDBOX=off`,
    );
  }
  const config: Omit<Config, 'warnings'> = {
    roles: must<Set<Role>>('ROLES', new Set(['api', 'realtime', 'worker', 'bot'])),
    cluster,
    debug,
    logLevel: logLevelRaw,
    logFormat: read<'json' | 'pretty'>('LOG_FORMAT'),
    sandbox: {
      enabled: sandboxMode === 'on' || (sandboxMode === 'auto' && !production && botToken === undefined),
      // Beside the embedded database's files (DATA_DIR/pg), so one folder, git-ignored, holds the local state.
      secretFile: join(must('DATA_DIR', '.data'), 'sandbox-secret'),
    },
    shutdownTimeoutMs: must('SHUTDOWN_TIMEOUT', 10_000),
    http: {
      port: serverPort,
      origin: must('SERVER_ORIGIN', '*'),
      publicBaseUrl: (read<string>('PUBLIC_BASE_URL') ?? `http://localhost:${serverPort}`).replace(
        /\/+$/,
        '',
      ),
    },
    trustProxy: must<TrustProxy>('TRUST_PROXY', { hops: 0 }),
    realtime: {
      port: must('REALTIME_PORT', 8081),
      publicUrl: read<string>('PUBLIC_REALTIME_URL')?.replace(/\/+$/, ''),
    },
    database: readDatabase(env, read, must, problems),
    redis,
    draws: { drandUrls: must<string[]>('DRAND_URLS', []) },
    giveaways: { startHorizonDays: must('GIVEAWAY_START_HORIZON_DAYS', 365) },
    joins: {
      batchMax: must('JOIN_BATCH_MAX', 500),
      batchDelayMs: must('JOIN_BATCH_DELAY', 3),
      lanes: must('JOIN_LANES', 4),
    },
    webhooks: {
      allowHttp: must('WEBHOOKS_ALLOW_HTTP', false),
      allowPrivate: must('WEBHOOKS_ALLOW_PRIVATE', false),
    },
    rateLimit: {
      enabled: must('RATE_LIMIT', true),
      joinPerUser: must('RATE_LIMIT_JOIN_PER_USER', D.joinPerUser),
      joinPerIp: must('RATE_LIMIT_JOIN_PER_IP', D.joinPerIp),
      createPerUser: must('RATE_LIMIT_CREATE_PER_USER', D.createPerUser),
      createPerIp: must('RATE_LIMIT_CREATE_PER_IP', D.createPerIp),
      probePerUser: must('RATE_LIMIT_PROBE_PER_USER', D.probePerUser),
      probePerIp: must('RATE_LIMIT_PROBE_PER_IP', D.probePerIp),
      socketMaxPerIp: must('SOCKET_MAX_PER_IP', D.socketMaxPerIp),
      socketHandshakesPerSecPerIp: must('SOCKET_HANDSHAKES_PER_SEC_PER_IP', D.socketHandshakesPerSecPerIp),
    },
    telegram: {
      botToken,
      debug: must('TELEGRAM_DEBUG', false),
      initDataTtlSec: must('INIT_DATA_TTL', 86_400),
      adminIds: must<number[]>('ADMIN_IDS', []),
      apiRoot: must('BOT_API_ROOT', 'https://api.telegram.org').replace(/\/+$/, ''),
      botUsername: read<string>('BOT_USERNAME'),
      webhookUrl: read<string>('BOT_WEBHOOK_URL'),
      webhookSecret: read<string>('BOT_WEBHOOK_SECRET'),
      postResults: must('BOT_POST_RESULTS', false),
      shareAnimationUrl: read<string>('BOT_SHARE_ANIMATION_URL'),
      cache: {
        chatSec: must('TELEGRAM_CACHE_CHAT_TTL', TC.chatSec * 1000) / 1000,
        memberSec: must('TELEGRAM_CACHE_MEMBER_TTL', TC.memberSec * 1000) / 1000,
        adminsSec: must('TELEGRAM_CACHE_ADMINS_TTL', TC.adminsSec * 1000) / 1000,
        boostsSec: must('TELEGRAM_CACHE_BOOSTS_TTL', TC.boostsSec * 1000) / 1000,
        filePathSec: must('TELEGRAM_CACHE_FILE_TTL', TC.filePathSec * 1000) / 1000,
        negativeSec: must('TELEGRAM_CACHE_NEGATIVE_TTL', TC.negativeSec * 1000) / 1000,
      },
    },
    ton: {
      tonapiBaseUrl: must('TONAPI_BASE_URL', 'https://tonapi.io').replace(/\/+$/, ''),
      tonapiKey: read<string>('TONAPI_KEY'),
      tonapiRps: must('TONAPI_RPS', 1),
      network: must<'mainnet' | 'testnet'>('TON_NETWORK', 'mainnet'),
      proofDomains: (read<string>('TON_PROOF_DOMAINS') ?? '')
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
      proofPayloadTtlMs: must('TON_PROOF_PAYLOAD_TTL', 300_000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  for (const [name, spec] of Object.entries(ENV_SPEC) as Array<[EnvName, EnvVar<unknown>]>) {
    for (const alias of spec.aliases ?? []) {
      if (source(name) === name && env[alias]?.trim() && env[alias] !== env[name]) {
        warnings.push(`${alias} is ignored because ${name} is also set`);
      }
    }
  }
  warnings.push(...findUnknownEnv(env).map(describeUnknownEnv));
  return deepFreeze({ ...config, warnings });
}

type Read = <T>(name: EnvName) => T | undefined;
type Must = <T>(name: EnvName, fallback: T) => T;

function readDatabase(env: Env, read: Read, must: Must, problems: string[]): DatabaseConfig {
  const pool = {
    poolMax: must('MAX_OPEN_CONNS', 25),
    poolIdleMax: must('MAX_IDLE_CONNS', 5),
    connMaxLifetimeMs: must('CONN_MAX_LIFETIME', 300_000),
    autoMigrate: must('DB_AUTO_MIGRATE', true),
  };
  const databaseUrl = read<string>('DATABASE_URL');
  const host = read<string>('POSTGRES_HOST');
  let sslMode = must<SslMode>('POSTGRES_SSLMODE', 'disable');
  const sslRootCert = read<string>('POSTGRES_SSLROOTCERT');
  if (databaseUrl !== undefined) {
    // libpq-style ?sslmode= in the URL is honoured unless POSTGRES_SSLMODE says otherwise; it is removed
    // from the URL because node-postgres interprets it differently from libpq.
    const url = new URL(databaseUrl);
    const fromUrl = url.searchParams.get('sslmode');
    url.searchParams.delete('sslmode');
    if (fromUrl !== null && !env.POSTGRES_SSLMODE?.trim()) {
      const parsed = ENV_SPEC.POSTGRES_SSLMODE.parse.safeParse(fromUrl);
      if (parsed.success) sslMode = parsed.data;
      else
        problems.push(`DATABASE_URL: sslmode=${fromUrl} is not a libpq sslmode; example: ?sslmode=require`);
    }
    return { kind: 'external', url: url.toString(), sslMode, sslRootCert, ...pool };
  }
  if (host !== undefined) {
    const user = encodeURIComponent(must('POSTGRES_USER', 'postgres'));
    const password = must('POSTGRES_PASSWORD', '');
    const auth = password ? `${user}:${encodeURIComponent(password)}` : user;
    const db = encodeURIComponent(must('POSTGRES_DB', 'giveaway'));
    const url = `postgres://${auth}@${host.includes(':') ? `[${host}]` : host}:${must('POSTGRES_PORT', 5432)}/${db}`;
    return { kind: 'external', url, sslMode, sslRootCert, ...pool };
  }
  return {
    kind: 'embedded',
    dataDir: must('DATA_DIR', '.data'),
    port: must('EMBEDDED_PG_PORT', 54329),
    database: must('POSTGRES_DB', 'giveaway'),
    ...pool,
  };
}

function readRedis(env: Env, read: Read, must: Must): RedisConfig | null {
  const common = { keyPrefix: must('REDIS_KEY_PREFIX', 'gw:'), maxInFlight: must('REDIS_POOL_SIZE', 10) };
  const password = read<string>('REDIS_PASSWORD') || undefined;
  const redisUrl = read<string>('REDIS_URL');
  if (redisUrl !== undefined) {
    const url = new URL(redisUrl);
    const urlPassword = url.password ? decodeURIComponent(url.password) : undefined;
    const dbFromPath = url.pathname.replace('/', '');
    // Only host and port are used to connect (the password travels apart, createRedis ignores a user), so
    // the kept URL holds no userinfo: `redis://<password>@host` is a common mistake that logs would print.
    url.password = '';
    url.username = '';
    url.pathname = '';
    return {
      url: url.toString(),
      password: urlPassword ?? password,
      db: /^\d+$/.test(dbFromPath) ? Number(dbFromPath) : must('REDIS_DB', 0),
      ...common,
    };
  }
  const host = read<string>('REDIS_HOST');
  if (host === undefined) return null;
  void env;
  return {
    url: `redis://${host.includes(':') ? `[${host}]` : host}:${must('REDIS_PORT', 6379)}`,
    password,
    db: must('REDIS_DB', 0),
    ...common,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The process's Config: its environment plus `.env` in the working directory. */
export function loadProcessConfig(): Config {
  return loadConfig(withDotEnv(process.env));
}

/** A one-line-per-setting summary for the boot log, with secrets left out. */
export function describeConfig(config: Config): Record<string, unknown> {
  const db = config.database;
  return {
    roles: [...config.roles].join(','),
    cluster: config.cluster,
    http: config.http.port,
    realtime: config.realtime.port,
    database:
      db.kind === 'embedded' ? `embedded (${db.dataDir})` : `${redactUrl(db.url)} sslmode=${db.sslMode}`,
    redis: config.redis ? `${config.redis.url} db=${config.redis.db}` : 'disabled (single-node)',
    bot: config.telegram.botToken ? 'configured' : 'off (no BOT_TOKEN)',
    sandbox: config.sandbox.enabled ? 'on' : 'off',
    admins: config.telegram.adminIds.length,
    rateLimit: config.rateLimit.enabled ? 'on' : 'off',
  };
}

function redactUrl(raw: string): string {
  const url = new URL(raw);
  if (url.password) url.password = '***';
  return url.toString();
}
