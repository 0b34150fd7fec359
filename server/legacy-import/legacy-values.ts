// Parsing of the scalar values the legacy Go code wrote into Redis: UUID ids, decimal int64 Telegram ids,
// RFC3339Nano times with offsets (and Go's zero time), and loosely typed JSON fields.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d{1,19}$/;

/** Lower-case UUID (PostgreSQL's text form), or null when the string is not one. */
export function normalizeUuid(value: unknown): string | null {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : null;
}

/**
 * A Telegram id from a JSON number or a decimal string. Ids beyond 2^53 are refused rather than rounded
 * (no Telegram user or chat id comes near it; a value that big is corrupt).
 */
export function parseInt64(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  // The common case, a million times per import: plain digits short enough to be exact.
  if (typeof value === 'string' && isShortDigits(value)) return Number(value);
  if (typeof value !== 'string' || !DECIMAL.test(value.trim())) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : null;
}

function isShortDigits(text: string): boolean {
  if (text.length === 0 || text.length > 15) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A user id: positive int64 (users.id > 0). */
export function parseUserId(value: unknown): number | null {
  const n = parseInt64(value);
  return n !== null && n > 0 ? n : null;
}

/** A JSON integer (or integer string), else null. */
export function parseInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return null;
}

/** Go's zero time (`0001-01-01T00:00:00Z`), empty strings and garbage all mean "no time". */
export function parseTime(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  const date = new Date(ms);
  return date.getUTCFullYear() <= 1 ? null : date;
}

export function parseUnixSeconds(value: unknown): Date | null {
  const n = parseInteger(value);
  return n !== null && n > 0 ? new Date(n * 1000) : null;
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function asBool(value: unknown): boolean {
  return value === true || value === 'true' || value === 1;
}

/** JSON.parse that reports failure instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

const TELEGRAM_USERNAME = /^[A-Za-z0-9_]{1,64}$/;

/** A Telegram username without `@`, or null when absent or not a valid username. */
export function parseUsername(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const bare = value.trim().replace(/^@/, '');
  return TELEGRAM_USERNAME.test(bare) ? bare : null;
}

/** Cuts to `max` characters (code points, as PostgreSQL's char_length counts them). */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

export function charLength(text: string): number {
  return Array.from(text).length;
}

export function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}
