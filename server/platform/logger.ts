// Logs (pino): JSON lines for machines, or pino-pretty's readable lines for a person at a terminal.
// One root logger per app; modules take a child with their own `module` field.
import { pino, type LogFn, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '../config/index.ts';
import { REDACTED, scrubDeep, scrubSecrets } from './scrub-secrets.ts';

export type { Logger };
export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT wins; unset, a terminal gets pretty lines and anything else (a file, a collector) gets JSON. */
export function resolveLogFormat(
  format: LogFormat | undefined,
  isTty = process.stdout.isTTY === true,
): LogFormat {
  return format ?? (isTty ? 'pretty' : 'json');
}

/** Fields that hold a credential wherever they appear (one level deep, plus the request headers). */
const SECRET_KEYS = [
  'password',
  'botToken',
  'token',
  'secret',
  'webhookSecret',
  'initData',
  'init_data',
  'apiKey',
  'api_key',
  'tonapiKey',
  'authorization',
];
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-telegram-init-data"]',
  'req.headers["x-api-key"]',
  'req.body.init_data',
  'req.body.initData',
  'handshake.auth',
];

/** pino's `err` serializer, then every string in it (message, stack, the causes it carries) scrubbed. */
export function serializeError(err: unknown): unknown {
  const plain = err instanceof Error ? pino.stdSerializers.err(err) : err;
  return scrubDeep(plain);
}

/** Scrubs the message and the top-level string fields of one log call, copying only what changes. */
function scrubLogArguments(this: Logger, args: Parameters<LogFn>, method: LogFn): void {
  const scrubbed = args.map((arg, i) => {
    if (typeof arg === 'string') return scrubSecrets(arg);
    if (i !== 0 || arg === null || typeof arg !== 'object' || arg instanceof Error) return arg;
    let copy: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(arg as Record<string, unknown>)) {
      if (typeof value !== 'string') continue;
      const clean = scrubSecrets(value);
      if (clean !== value) (copy ??= { ...(arg as Record<string, unknown>) })[key] = clean;
    }
    return copy ?? arg;
  });
  method.apply(this, scrubbed as Parameters<LogFn>);
}

export function createLogger(level: LogLevel, format?: LogFormat): Logger {
  const options: LoggerOptions = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Structured credentials: whatever object carries them, these fields never print.
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    serializers: { err: serializeError },
    // Credentials inside strings (a message, a top-level string field such as a URL or an error text).
    hooks: { logMethod: scrubLogArguments },
  };
  if (level === 'silent' || resolveLogFormat(format) === 'json') return pino(options);
  // Synchronous, in this thread: no transport worker to lose the last lines of a crash, and the volume a
  // person reads at a terminal is small.
  const stream = pretty({
    sync: true,
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return pino(options, stream);
}
