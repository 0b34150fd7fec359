// Text helpers for Telegram HTML messages: every value that comes from a user (titles, prize names,
// usernames) goes through escapeHtml, because one stray `<` makes Telegram refuse the whole message.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Truncates to `max` characters (by code point) with an ellipsis, before escaping. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `04 Dec 2025 15:49 UTC`, the legacy share caption's deadline format. */
export function formatUtc(date: Date | string): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  return `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 111th (the legacy suffixes were wrong for 11–13). */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

/** "iPhone 15" or "Stars ×100". */
export function prizeLabel(prize: { title: string; quantity?: number | null }): string {
  const quantity = prize.quantity ?? 1;
  return quantity > 1 ? `${prize.title} ×${quantity}` : prize.title;
}

/** "2d 4h", "3h 20m", "45m", "30s": time left until `date`, coarse on purpose. */
export function timeLeft(date: Date | string, now = Date.now()): string {
  const s = Math.max(0, Math.floor((new Date(date).getTime() - now) / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}
