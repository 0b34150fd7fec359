// The greeting a person sees at a terminal once the server is ready: what runs, on what, and where to click.
// Printed only on a TTY (main.ts); logs stay the machine-readable record.
import type { Config } from '../config/index.ts';
import { scrubSecrets } from './scrub-secrets.ts';

export interface BannerPorts {
  /** undefined when the api role is off. */
  http: number | undefined;
  /** undefined when the realtime role is off. */
  realtime: number | undefined;
}

const useColor = (tty: boolean) => tty && process.stdout.hasColors?.() === true;

export function formatBootBanner(config: Config, ports: BannerPorts, color = false): string {
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[22m` : s);
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[22m` : s);
  const accent = (s: string) => (color ? `\x1b[33m${s}\x1b[39m` : s);
  const mode = config.sandbox.enabled
    ? accent('SANDBOX (demo users signed with a local secret; not for production)')
    : config.telegram.botToken
      ? 'production (Telegram bot configured)'
      : 'no bot (BOT_TOKEN unset, sandbox off): /api/v1 answers 401';
  const db = config.database;
  const rows: Array<[string, string]> = [
    ['mode', mode],
    ['roles', [...config.roles].join(', ')],
    ['database', db.kind === 'embedded' ? `embedded PostgreSQL (${db.dataDir})` : withoutPassword(db.url)],
    [
      'redis',
      config.redis ? `${withoutPassword(config.redis.url)} db ${config.redis.db}` : 'none (single-node mode)',
    ],
  ];
  const base = `http://localhost:${ports.http ?? config.http.port}`;
  const links: Array<[string, string]> = [];
  if (ports.http !== undefined) {
    if (config.sandbox.enabled) links.push(['sandbox', `${base}/sandbox`]);
    links.push(['API docs', `${base}/api/docs`]);
    links.push(['overlay demo', `${base}/overlay/demo`]);
    links.push(['metrics', `${base}/metrics`]);
  }
  if (ports.realtime !== undefined) links.push(['realtime', `http://localhost:${ports.realtime}`]);
  const width = Math.max(...[...rows, ...links].map(([k]) => k.length));
  const line = ([k, v]: [string, string]) => `  ${dim(k.padEnd(width))}  ${v}`;
  return [
    '',
    `  ${bold('Giveaway server')} ready`,
    '',
    ...rows.map(line),
    '',
    ...links.map(([k, v]) => line([k, bold(v)])),
    '',
    '',
  ].join('\n');
}

/** Writes the banner when stdout is a terminal; returns whether it did. */
export function printBootBanner(config: Config, ports: BannerPorts, out = process.stdout): boolean {
  if (!out.isTTY) return false;
  out.write(formatBootBanner(config, ports, useColor(true)));
  return true;
}

/** The URL without its password, and without credentials in its query (`?password=` works for pg). */
function withoutPassword(raw: string): string {
  const url = new URL(raw);
  url.password = '';
  return scrubSecrets(url.toString());
}

/** The App's port getters throw when their role is off; the banner just leaves that line out. */
export function portOrUndefined(port: () => number): number | undefined {
  try {
    return port();
  } catch {
    return undefined;
  }
}
