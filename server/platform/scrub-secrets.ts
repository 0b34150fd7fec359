// Credentials out of free text: URLs, error messages and stacks, banner lines. pino's `redact` covers
// structured fields (a header, a `password` key); this covers what only exists inside a string, such as the
// bot token in a Bot API URL that a fetch error quotes, or `?init_data=` in an access-log URL.
// Each rule keeps the shape of the text (names, hosts, paths) so a scrubbed line is still useful.

export const REDACTED = '[redacted]';

/** Query/form/header names whose value is a credential (matched case-insensitively, whole name). */
const SECRET_NAMES = [
  'init_?data',
  'initdata',
  'tgwebappdata',
  'x-telegram-init-data',
  'authorization',
  'api_?key',
  'apikey',
  'access_key',
  'hash', // the HMAC of raw init-data: without it the rest cannot be replayed
  'signature',
  '[a-z_-]*(?:token|secret|password|passwd)',
].join('|');

const RULES: ReadonlyArray<[RegExp, string]> = [
  // A password in a URL's userinfo: postgres://user:pw@host, redis://:pw@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):[^\s@/?#]*@/gi, `$1:${REDACTED}@`],
  // name=value in a query string, a form body or `key=value` text.
  [new RegExp(`(^|[?&#;\\s"'{,])(${SECRET_NAMES})=[^&#\\s"';,}]*`, 'gi'), `$1$2=${REDACTED}`],
  // "name": "value" in JSON, and `name: value` in header dumps.
  [
    new RegExp(
      `(["']?\\b(?:${SECRET_NAMES})["']?\\s*:\\s*)("[^"]*"|'[^']*'|(?:(?:tma|bearer|basic)\\s+)?[^\\s,;}]+)`,
      'gi',
    ),
    `$1${REDACTED}`,
  ],
  // An Authorization value quoted on its own.
  [/\b(tma|bearer|basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  // Telegram bot tokens anywhere, also inside Bot API URLs (/bot<id>:<secret>/getUpdates); the id is public.
  [/(?<![0-9])(\d{5,15}):[A-Za-z0-9_-]{30,}/g, `$1:${REDACTED}`],
  // Our API keys (gwk_<prefix>_<secret>): the prefix names the key in the key list, the rest is the secret.
  [/\b(gwk_[0-9a-f]{8})_[A-Za-z0-9_-]+/g, `$1_${REDACTED}`],
  // Standard Webhooks signing secrets.
  [/\bwhsec_[A-Za-z0-9+/=_-]+/g, `whsec_${REDACTED}`],
  // One-time CSV export links carry their token in the path.
  [/(\/export\/)[^\s/?#"']+/g, `$1${REDACTED}`],
];

/** The text with every credential we know the shape of replaced by [redacted]. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A copy of `value` with every string scrubbed, for error objects and their causes (grammY's HttpError keeps
 * the fetch error, whose message and stack quote the Bot API URL). Depth-bounded; cycles are cut.
 */
export function scrubDeep(value: unknown, depth = 6, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth === 0) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth - 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = scrubDeep(v, depth - 1, seen);
  return out;
}
