// Every environment variable the server reads, declared once: parser, default, example and meaning.
// .env.example is checked against this table by a test, so the two cannot drift.
import type { z } from 'zod';
import * as p from './parsers.ts';
import { rateSpec, RATE_LIMIT_ENV_DEFAULTS as RL } from './rate-limit-settings.ts';
import { TELEGRAM_CACHE_ENV_DEFAULTS as TC } from './telegram-cache-settings.ts';

export interface EnvVar<T> {
  parse: z.ZodType<T>;
  /** Used when the variable is unset or empty; undefined means "absent" (the feature is off or derived). */
  default?: string;
  example: string;
  doc: string;
  secret?: boolean;
  /** Other names read when this one is unset (the legacy seed's spelling); the canonical name wins. */
  aliases?: readonly string[];
}

const v = <T>(spec: EnvVar<T>): EnvVar<T> => spec;

export const ROLE_NAMES = ['api', 'realtime', 'worker', 'bot'] as const;
export type Role = (typeof ROLE_NAMES)[number];
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const SANDBOX_MODES = ['auto', 'on', 'off'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

export const ENV_SPEC = {
  // --- HTTP and realtime ---
  SERVER_PORT: v({ parse: p.port, default: '8080', example: '8080', doc: 'HTTP port of the api role.' }),
  SERVER_ORIGIN: v({
    parse: p.url(['http:', 'https:']).or(p.oneOf(['*'])),
    default: '*',
    example: 'https://giveaway.example.com',
    doc: 'Allowed CORS origin for REST and Socket.IO (* allows any).',
  }),
  PUBLIC_BASE_URL: v({
    parse: p.url(['http:', 'https:']),
    example: 'https://api.giveaway.example.com',
    doc: 'Public URL of this server, used in export links and avatar URLs (default http://localhost:SERVER_PORT).',
  }),
  REALTIME_PORT: v({
    parse: p.port,
    default: '8081',
    example: '8081',
    doc: 'Socket.IO port of the realtime role.',
  }),
  PUBLIC_REALTIME_URL: v({
    parse: p.url(['http:', 'https:']),
    example: 'https://realtime.giveaway.example.com',
    doc: "Public Socket.IO URL that overlay pages connect to (default: the page request's host on REALTIME_PORT).",
  }),
  ROLES: v({
    parse: p.setOf(ROLE_NAMES),
    default: 'api,realtime,worker,bot',
    example: 'api,realtime',
    doc: 'What this node runs: any of api, realtime, worker, bot.',
  }),
  CLUSTER: v({
    parse: p.bool,
    default: 'false',
    example: 'true',
    doc: 'Set on every node of a multi-node deployment; refuses to start without Redis.',
  }),
  TRUST_PROXY: v({
    parse: p.trustProxy,
    default: '0',
    example: '1',
    doc: 'Proxies allowed to set X-Forwarded-For (client IP for rate limits and socket caps): a hop count, or comma-separated IPs/CIDRs; 0 = none, the peer address is the client.',
  }),
  SHUTDOWN_TIMEOUT: v({
    parse: p.durationMs,
    default: '10s',
    example: '10s',
    doc: 'How long a graceful shutdown may drain before the process exits anyway.',
  }),

  // --- PostgreSQL ---
  DATABASE_URL: v({
    parse: p.url(['postgres:', 'postgresql:']),
    example: 'postgres://postgres@127.0.0.1:5432/giveaway',
    doc: 'PostgreSQL URL; wins over the POSTGRES_* variables. Neither set: embedded PostgreSQL under DATA_DIR.',
    secret: true,
  }),
  POSTGRES_HOST: v({ parse: p.nonEmpty, example: '127.0.0.1', doc: 'PostgreSQL host (seed-compatible).' }),
  POSTGRES_PORT: v({ parse: p.port, default: '5432', example: '5432', doc: 'PostgreSQL port.' }),
  POSTGRES_USER: v({ parse: p.nonEmpty, default: 'postgres', example: 'giveaway', doc: 'PostgreSQL user.' }),
  POSTGRES_PASSWORD: v({
    parse: p.anyString,
    default: '',
    example: 'change-me',
    doc: 'PostgreSQL password.',
    secret: true,
  }),
  POSTGRES_DB: v({
    parse: p.nonEmpty,
    default: 'giveaway',
    example: 'giveaway',
    doc: 'PostgreSQL database.',
  }),
  POSTGRES_SSLMODE: v({
    parse: p.oneOf(SSL_MODES),
    default: 'disable',
    example: 'verify-full',
    doc: 'TLS to PostgreSQL, as libpq: disable, allow, prefer, require, verify-ca, verify-full.',
  }),
  POSTGRES_SSLROOTCERT: v({
    parse: p.nonEmpty,
    example: '/etc/ssl/certs/pg-ca.pem',
    doc: 'CA bundle for verify-ca / verify-full (default: the system trust store).',
  }),
  MAX_OPEN_CONNS: v({
    aliases: ['POSTGRES_MAX_OPEN_CONNS'],
    parse: p.positiveInt,
    default: '25',
    example: '25',
    doc: 'Pool size: most connections.',
  }),
  MAX_IDLE_CONNS: v({
    aliases: ['POSTGRES_MAX_IDLE_CONNS'],
    parse: p.nonNegativeInt,
    default: '5',
    example: '5',
    doc: 'Idle connections kept open; the rest close after 10 s idle.',
  }),
  CONN_MAX_LIFETIME: v({
    aliases: ['POSTGRES_CONN_MAX_LIFETIME'],
    parse: p.durationMs,
    default: '5m',
    example: '5m',
    doc: 'A pooled connection is replaced after this long (Go duration or seconds; 0 = never).',
  }),
  DB_AUTO_MIGRATE: v({
    parse: p.bool,
    default: 'true',
    example: 'false',
    doc: 'Apply pending migrations at boot (under an advisory lock).',
  }),
  DATA_DIR: v({
    parse: p.nonEmpty,
    default: '.data',
    example: '/var/lib/giveaway',
    doc: 'Where embedded PostgreSQL keeps its data when no database is configured.',
  }),
  EMBEDDED_PG_PORT: v({
    parse: p.port,
    default: '54329',
    example: '54329',
    doc: 'Port of the embedded PostgreSQL (loopback only).',
  }),

  // --- Redis ---
  REDIS_URL: v({
    parse: p.url(['redis:', 'rediss:']),
    example: 'redis://:secret@127.0.0.1:6379/0',
    doc: 'Redis URL; wins over REDIS_*. Neither set: single-node mode (in-memory adapter and rate limits).',
    secret: true,
  }),
  REDIS_HOST: v({ parse: p.nonEmpty, example: '127.0.0.1', doc: 'Redis host (seed-compatible).' }),
  REDIS_PORT: v({ parse: p.port, default: '6379', example: '6379', doc: 'Redis port.' }),
  REDIS_PASSWORD: v({
    parse: p.anyString,
    default: '',
    example: 'change-me',
    doc: 'Redis AUTH password.',
    secret: true,
  }),
  REDIS_DB: v({ parse: p.nonNegativeInt, default: '0', example: '0', doc: 'Redis logical database.' }),
  REDIS_POOL_SIZE: v({
    parse: p.positiveInt,
    default: '10',
    example: '10',
    doc: 'Most commands in flight per Redis connection before callers queue (ioredis pipelines on one socket).',
  }),
  REDIS_KEY_PREFIX: v({
    parse: p.nonEmpty,
    default: 'gw:',
    example: 'gw:',
    doc: 'Prefix of every key we write, so we never collide with a legacy keyspace.',
  }),

  // --- Telegram ---
  BOT_TOKEN: v({
    parse: p.botToken,
    example: '123456789:AAH-your-token-from-BotFather',
    doc: 'Telegram bot token: validates init-data and runs the bot. Unset: bot off, Telegram requirements refused.',
    secret: true,
  }),
  BOT_API_ROOT: v({
    parse: p.url(['http:', 'https:']),
    default: 'https://api.telegram.org',
    example: 'http://127.0.0.1:8081',
    doc: 'Bot API server used by the bot and every Bot API call (a local telegram-bot-api, a test fake).',
  }),
  BOT_USERNAME: v({
    parse: p.botUsername,
    example: 'giveaway_bot',
    doc: "The bot's username for t.me deep links; unset: asked with getMe.",
  }),
  BOT_WEBHOOK_URL: v({
    parse: p.url(['https:']),
    example: 'https://api.giveaway.example.com/telegram/webhook',
    doc: 'Receive updates at this public URL (its path is served by the api role); unset: the bot role long-polls.',
  }),
  BOT_WEBHOOK_SECRET: v({
    parse: p.webhookSecret,
    example: 'change-me-long-random',
    doc: 'Secret Telegram sends with each webhook request; unset: derived from BOT_TOKEN.',
    secret: true,
  }),
  BOT_POST_RESULTS: v({
    parse: p.bool,
    default: 'false',
    example: 'true',
    doc: 'Post the results in sponsor channels when a giveaway completes.',
  }),
  BOT_SHARE_ANIMATION_URL: v({
    parse: p.url(['https:']),
    example: 'https://cdn.example.com/Giveaway.mp4',
    doc: 'MP4 shown in shared giveaway messages; unset: text only.',
  }),
  TELEGRAM_DEBUG: v({ parse: p.bool, default: 'false', example: 'true', doc: 'Log every Telegram update.' }),
  TELEGRAM_CACHE_CHAT_TTL: v({
    parse: p.durationMs,
    default: TC.TELEGRAM_CACHE_CHAT_TTL,
    example: '5m',
    doc: 'How long getChat answers (title, photo, invite link) are shared from the Bot API cache; 0: not cached.',
  }),
  TELEGRAM_CACHE_MEMBER_TTL: v({
    parse: p.durationMs,
    default: TC.TELEGRAM_CACHE_MEMBER_TTL,
    example: '30s',
    doc: 'How long getChatMember answers (subscription checks, the bot’s status) are cached; 0: not cached.',
  }),
  TELEGRAM_CACHE_ADMINS_TTL: v({
    parse: p.durationMs,
    default: TC.TELEGRAM_CACHE_ADMINS_TTL,
    example: '5m',
    doc: 'How long getChatAdministrators answers are cached; 0: not cached.',
  }),
  TELEGRAM_CACHE_BOOSTS_TTL: v({
    parse: p.durationMs,
    default: TC.TELEGRAM_CACHE_BOOSTS_TTL,
    example: '30s',
    doc: 'How long getUserChatBoosts answers are cached; 0: not cached.',
  }),
  TELEGRAM_CACHE_FILE_TTL: v({
    parse: p.durationMs,
    default: TC.TELEGRAM_CACHE_FILE_TTL,
    example: '50m',
    doc: 'How long getFile paths (avatar downloads) are cached; Telegram keeps them valid for an hour.',
  }),
  TELEGRAM_CACHE_NEGATIVE_TTL: v({
    parse: p.durationMs,
    default: TC.TELEGRAM_CACHE_NEGATIVE_TTL,
    example: '60s',
    doc: 'How long a definite refusal (chat not found, bot kicked) is cached; never longer than the answer’s own TTL.',
  }),
  INIT_DATA_TTL: v({
    parse: p.positiveInt,
    default: '86400',
    example: '86400',
    doc: 'Seconds a Mini App init-data stays valid after its auth_date.',
  }),
  ADMIN_IDS: v({
    parse: p.idList,
    default: '',
    example: '11111111,22222222',
    doc: 'Telegram user ids with admin rights (comma-separated).',
  }),

  // --- Draws ---
  DRAND_URLS: v({
    parse: p.urlList,
    default: '',
    example: 'https://api.drand.sh,https://drand.cloudflare.com',
    doc: 'drand HTTP relays (comma-separated). Set: new giveaways use the drand quicknet beacon by default; empty: commit-reveal only.',
  }),

  // --- Webhooks ---
  WEBHOOKS_ALLOW_HTTP: v({
    parse: p.bool,
    default: 'false',
    example: 'false',
    doc: 'Development only: accept http:// webhook endpoints (https only otherwise).',
  }),
  WEBHOOKS_ALLOW_PRIVATE: v({
    parse: p.bool,
    default: 'false',
    example: 'false',
    doc: 'Development only: accept webhook endpoints on loopback/private addresses (refused otherwise).',
  }),
  // --- TON ---
  TONAPI_BASE_URL: v({
    parse: p.url(['http:', 'https:']),
    default: 'https://tonapi.io',
    example: 'https://tonapi.io',
    doc: 'TonAPI root for wallet keys, balances and jetton metadata (holdton, holdjetton, TON Connect proof).',
  }),
  TONAPI_KEY: v({
    parse: p.nonEmpty,
    example: 'AE...',
    doc: 'TonAPI key, sent as Authorization: Bearer; unset: the anonymous free tier.',
    secret: true,
  }),
  TONAPI_RPS: v({
    parse: p.positiveInt,
    default: '1',
    example: '10',
    doc: 'Requests per second sent to TonAPI (free tier: about 1); extra requests wait in a queue.',
  }),
  TON_NETWORK: v({
    parse: p.oneOf(['mainnet', 'testnet']),
    default: 'mainnet',
    example: 'mainnet',
    doc: 'TON network whose wallets may be linked (testnet proofs are refused on mainnet).',
  }),
  TON_PROOF_DOMAINS: v({
    parse: p.anyString,
    example: 'giveaway.example.com,app.example.com',
    doc: 'Domains a TON Connect proof may name (comma-separated); unset: the host of PUBLIC_BASE_URL.',
  }),
  TON_PROOF_PAYLOAD_TTL: v({
    parse: p.durationMs,
    default: '300s',
    example: '300s',
    doc: 'How long a TON Connect proof payload stays valid, and how old a signed proof may be.',
  }),

  // --- Rate limits ---
  RATE_LIMIT: v({
    parse: p.bool,
    default: RL.RATE_LIMIT,
    example: 'off',
    doc: 'Per-user and per-IP limits on joins, giveaway creation and channel lookups, and per-IP socket caps (on/off; off for load tests).',
  }),
  RATE_LIMIT_JOIN_PER_USER: v({
    parse: rateSpec,
    default: RL.RATE_LIMIT_JOIN_PER_USER,
    example: '30/60',
    doc: 'Joins per user: <points>/<seconds>.',
  }),
  RATE_LIMIT_JOIN_PER_IP: v({
    parse: rateSpec,
    default: RL.RATE_LIMIT_JOIN_PER_IP,
    example: '300/60',
    doc: 'Joins per client IP: <points>/<seconds>.',
  }),
  RATE_LIMIT_CREATE_PER_USER: v({
    parse: rateSpec,
    default: RL.RATE_LIMIT_CREATE_PER_USER,
    example: '10/3600',
    doc: 'Giveaways created per user: <points>/<seconds>.',
  }),
  RATE_LIMIT_CREATE_PER_IP: v({
    parse: rateSpec,
    default: RL.RATE_LIMIT_CREATE_PER_IP,
    example: '60/3600',
    doc: 'Giveaways created per client IP: <points>/<seconds>.',
  }),
  RATE_LIMIT_PROBE_PER_USER: v({
    parse: rateSpec,
    default: RL.RATE_LIMIT_PROBE_PER_USER,
    example: '20/60',
    doc: 'Channel lookups (check-bulk, channel info) per user: <points>/<seconds>.',
  }),
  RATE_LIMIT_PROBE_PER_IP: v({
    parse: rateSpec,
    default: RL.RATE_LIMIT_PROBE_PER_IP,
    example: '200/60',
    doc: 'Channel lookups (check-bulk, channel info) per client IP: <points>/<seconds>.',
  }),
  SOCKET_MAX_PER_IP: v({
    parse: p.positiveInt,
    default: RL.SOCKET_MAX_PER_IP,
    example: '100',
    doc: 'Concurrent Socket.IO connections per client IP, counted per node; more are refused with RATE_LIMITED.',
  }),
  SOCKET_HANDSHAKES_PER_SEC_PER_IP: v({
    parse: p.positiveInt,
    default: RL.SOCKET_HANDSHAKES_PER_SEC_PER_IP,
    example: '20',
    doc: 'Socket.IO handshakes per second per client IP (shared through Redis); more are refused with RATE_LIMITED.',
  }),

  // --- Diagnostics ---
  GIVEAWAY_START_HORIZON_DAYS: v({
    parse: p.positiveInt,
    default: '365',
    example: '365',
    doc: 'How far ahead a giveaway may be scheduled (starts_at), in days.',
  }),
  JOIN_BATCH_MAX: v({
    parse: p.positiveInt,
    default: '500',
    example: '500',
    doc: 'Joins per batch statement: a lane flushes as soon as this many wait.',
  }),
  JOIN_BATCH_DELAY: v({
    parse: p.durationMs,
    default: '3ms',
    example: '3ms',
    doc: 'Longest wait of the first join of a batch before the lane flushes (a duration, e.g. 3ms).',
  }),
  JOIN_LANES: v({
    parse: p.positiveInt,
    default: '4',
    example: '4',
    doc: 'Join batches in flight at once per node (giveaways are partitioned across lanes; each holds one pooled connection).',
  }),
  DEBUG: v({
    parse: p.bool,
    default: 'false',
    example: 'true',
    doc: 'Development mode: 5 s minimum giveaway duration, debug logs.',
  }),
  LOG_LEVEL: v({
    parse: p.oneOf(LOG_LEVELS),
    default: 'info',
    example: 'debug',
    doc: 'fatal, error, warn, info, debug, trace or silent (DEBUG=true lowers the default to debug).',
  }),
  LOG_FORMAT: v({
    parse: p.oneOf(LOG_FORMATS),
    example: 'json',
    doc: 'json or pretty (default: pretty on a terminal, json otherwise).',
  }),
  SANDBOX: v({
    parse: p.oneOf(SANDBOX_MODES),
    default: 'auto',
    example: 'off',
    doc: 'Local sandbox at /sandbox (demo users signed with a local secret): auto = on without BOT_TOKEN outside production.',
  }),
} as const;

export type EnvName = keyof typeof ENV_SPEC;
