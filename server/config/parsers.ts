// Small zod parsers for environment strings. Each knows how to explain a bad value in one line.
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

export const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be an integer')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

export const positiveInt = z.coerce
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be at least 1');

export const nonNegativeInt = z.coerce
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be 0 or more');

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

export const bool = z.string().transform((raw, ctx) => {
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  ctx.addIssue({ code: 'custom', message: 'must be true or false' });
  return z.NEVER;
});

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations as the seed's CONN_MAX_LIFETIME used ("5m", "1h30m", "300s"), or plain seconds. */
export const durationMs = z.string().transform((raw, ctx) => {
  const v = raw.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const parts = [...v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== v) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration like 300, 300s, 5m or 1h30m' });
    return z.NEVER;
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (DURATION_UNITS[p[2] ?? 's'] ?? 1000), 0);
});

export const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}` },
  );

/** Comma-separated Telegram user ids (ADMIN_IDS). */
export const idList = z.string().transform((raw, ctx) => {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((s) => !/^-?\d{1,19}$/.test(s));
  if (bad.length > 0) {
    ctx.addIssue({ code: 'custom', message: `must be comma-separated numeric ids (bad: ${bad.join(', ')})` });
    return z.NEVER;
  }
  return items.map(Number);
});

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(values, { error: `must be one of ${values.join(', ')}` }));

/** A comma-separated subset of `values`, at least one. */
export const setOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((raw, ctx) => {
    const items = raw
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const bad = items.filter((s) => !(values as readonly string[]).includes(s));
    if (items.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a comma-separated list of ${values.join(', ')}${bad.length ? ` (bad: ${bad.join(', ')})` : ''}`,
      });
      return z.NEVER;
    }
    return new Set(items as T[number][]);
  });

export const botToken = z
  .string()
  .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC-DEF... (the token @BotFather gives)');

export const nonEmpty = z.string().trim().min(1, 'must not be empty');
export const anyString = z.string();

export const botUsername = z
  .string()
  .trim()
  .transform((v) => v.replace(/^@/, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9_]{5,32}$/, 'must be a bot username such as giveaway_bot'));

export const webhookSecret = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1–256 characters of A–Z, a–z, 0–9, _ and -');

/** Comma-separated http(s) URLs (DRAND_URLS); empty means none. */
export const urlList = z.string().transform((raw, ctx) => {
  const items = raw
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  const bad = items.filter((u) => {
    try {
      return !['http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      return true;
    }
  });
  if (bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must be comma-separated http(s) URLs (bad: ${bad.join(', ')})`,
    });
    return z.NEVER;
  }
  return items;
});

/** Which proxies may tell us the client address (X-Forwarded-For): the nearest `hops`, or these addresses. */
export type TrustProxy = { hops: number } | { addresses: readonly string[] };

const NO_PROXY = new Set(['', '0', 'false', 'no', 'off', 'none']);

/**
 * TRUST_PROXY: a hop count (`1` = the one load balancer in front) or comma-separated IPs/CIDRs (and
 * proxy-addr's names loopback, linklocal, uniquelocal). `true` (every hop) is refused: it lets any client
 * pick its own address.
 */
export const trustProxy = z.string().transform((raw, ctx): TrustProxy => {
  const v = raw.trim().toLowerCase();
  if (NO_PROXY.has(v)) return { hops: 0 };
  if (/^\d+$/.test(v)) return { hops: Number(v) };
  const addresses = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = addresses.filter((a) => {
    try {
      proxyaddr.compile(a);
      return false;
    } catch {
      return true;
    }
  });
  if (v === 'true' || bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a hop count or comma-separated proxy IPs/CIDRs${bad.length ? ` (bad: ${bad.join(', ')})` : ''}`,
    });
    return z.NEVER;
  }
  return { addresses };
});
