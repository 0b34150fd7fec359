// Structured JSON logs (pino). One root logger per app; modules take a child with their own `module` field.
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/index.ts';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Belt and braces: tokens and passwords never reach a log line even if someone logs a config object.
    redact: {
      paths: [
        '*.password',
        '*.botToken',
        '*.token',
        'req.headers.authorization',
        'req.headers["x-telegram-init-data"]',
      ],
      censor: '[redacted]',
    },
  });
}
