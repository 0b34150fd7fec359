// Parsing what a creator types during /new. Each parser answers a value or a sentence saying what to fix,
// with the same limits as the REST create (schema/contract/giveaways.ts).

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = (error: string): Parsed<never> => ({ ok: false, error });

export const MAX_DURATION_SEC = 60 * 24 * 3600;

export function parseTitle(text: string): Parsed<string> {
  const title = text.trim();
  if (title.length === 0) return no('The title cannot be empty.');
  if ([...title].length > 100) return no('The title must be at most 100 characters.');
  return ok(title);
}

/** One prize per line: `iPhone 15`, or `Telegram Stars x100` for a quantity. */
export function parsePrizes(text: string): Parsed<Array<{ title: string; quantity: number }>> {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return no('Send at least one prize.');
  if (lines.length > 10) return no('At most 10 prizes, one per line.');
  const prizes: Array<{ title: string; quantity: number }> = [];
  for (const line of lines) {
    const match = /^(.*?)(?:\s+[x×*]\s*(\d{1,9}))?$/i.exec(line);
    const title = (match?.[1] ?? line).trim();
    const quantity = match?.[2] ? Number(match[2]) : 1;
    if (title.length === 0) return no(`"${line}" has no prize name.`);
    if ([...title].length > 20) return no(`"${title}" is too long: prize names are at most 20 characters.`);
    if (quantity < 1) return no(`"${line}": the quantity must be at least 1.`);
    prizes.push({ title, quantity });
  }
  return ok(prizes);
}

export function parseWinners(text: string): Parsed<number> {
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 1 || value > 1000) return no('Send a whole number from 1 to 1000.');
  return ok(value);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86_400 };

/** `30m`, `2h`, `3d`, `90s`; a bare number means hours. */
export function parseDuration(text: string, minSec: number): Parsed<number> {
  const match = /^(\d{1,7})\s*(s|m|min|h|d)?$/i.exec(text.trim());
  if (!match?.[1]) return no('Send a duration like 30m, 2h or 3d.');
  const seconds = Number(match[1]) * (UNIT_SECONDS[(match[2] ?? 'h').toLowerCase()] ?? 3600);
  if (seconds < minSec) return no(`The shortest giveaway is ${describeDuration(minSec)}.`);
  if (seconds > MAX_DURATION_SEC) return no('The longest giveaway is 60 days.');
  return ok(seconds);
}

export function describeDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `${seconds} seconds`;
}
