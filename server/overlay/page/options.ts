// What the overlay shows and how, from the URL's query (the streamer's OBS URL) and the config the server
// injected. Pure parsing, no DOM: every value is checked, since the query is whatever the streamer typed.
export const LAYOUTS = ['bar', 'card', 'full'] as const;
export const POSITIONS = ['top', 'bottom', 'tl', 'tr', 'bl', 'br', 'center'] as const;
export const PARTS = [
  'title',
  'prizes',
  'count',
  'watchers',
  'countdown',
  'status',
  'winners',
  'proof',
  'qr',
  'confetti',
] as const;
export type Layout = (typeof LAYOUTS)[number];
export type Position = (typeof POSITIONS)[number];
export type Part = (typeof PARTS)[number];
export type Lang = 'en' | 'ru';

export interface OverlayOptions {
  layout: Layout;
  position: Position;
  theme: 'dark' | 'light';
  /** A CSS colour (#rgb / #rrggbb), or null for the default accent. */
  accent: string | null;
  /** Multiplies every size; 0.5–3. */
  scale: number;
  hide: Set<Part>;
  lang: Lang;
  demo: boolean;
  /** Length of the simulated giveaway in demo mode. */
  demoSeconds: number;
  /** Play the reveal on load even when the draw happened before the page opened. */
  replay: boolean;
}

/** What the server injects into the page (overlay.routes.ts renders it into a JSON script tag). */
export interface OverlayConfig {
  giveawayId: string | null;
  realtimeUrl: string;
  verifyUrl: string | null;
  /** The server's clock when it rendered the page (ms), to correct a streaming PC's wrong clock. */
  serverNow: number;
  demo: boolean;
}

const oneOf = <T extends string>(list: readonly T[], value: string | null, fallback: T): T =>
  list.find((x) => x === value?.trim().toLowerCase()) ?? fallback;

const number = (value: string | null, fallback: number, min: number, max: number): number => {
  const n = value === null || value.trim() === '' ? NaN : Number(value);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

const flag = (value: string | null): boolean => value !== null && /^(1|true|yes|on|)$/i.test(value.trim());

/** `ff3366`, `#ff3366` or `#f36` → `#ff3366`; anything else → null (never reaches CSS unchecked). */
export function parseAccent(value: string | null): string | null {
  const hex = value?.trim().replace(/^#/, '') ?? '';
  if (/^[0-9a-f]{6}$/i.test(hex)) return `#${hex.toLowerCase()}`;
  if (/^[0-9a-f]{3}$/i.test(hex)) return `#${[...hex.toLowerCase()].map((c) => c + c).join('')}`;
  return null;
}

export function parseOptions(query: URLSearchParams, injectedDemo = false): OverlayOptions {
  const layout = oneOf(LAYOUTS, query.get('layout'), 'card');
  const hide = new Set<Part>();
  for (const name of (query.get('hide') ?? '').split(',')) {
    const part = PARTS.find((p) => p === name.trim().toLowerCase());
    if (part) hide.add(part);
  }
  return {
    layout,
    position: oneOf(
      POSITIONS,
      query.get('pos'),
      layout === 'bar' ? 'bottom' : layout === 'card' ? 'br' : 'center',
    ),
    theme: oneOf(['dark', 'light'] as const, query.get('theme'), 'dark'),
    accent: parseAccent(query.get('accent')),
    scale: number(query.get('scale'), 1, 0.5, 3),
    hide,
    lang: oneOf(['en', 'ru'] as const, query.get('lang'), 'en'),
    demo: injectedDemo || flag(query.get('demo')),
    demoSeconds: number(query.get('demo_seconds'), 20, 5, 600),
    replay: flag(query.get('replay')),
  };
}

/** Reads the injected config; a missing or broken one still yields a page (demo-less, "not found"). */
export function parseConfig(text: string | null | undefined): OverlayConfig {
  try {
    const raw = JSON.parse(text ?? '') as Partial<OverlayConfig>;
    return {
      giveawayId: typeof raw.giveawayId === 'string' ? raw.giveawayId : null,
      realtimeUrl: typeof raw.realtimeUrl === 'string' ? raw.realtimeUrl : '',
      verifyUrl: typeof raw.verifyUrl === 'string' ? raw.verifyUrl : null,
      serverNow: typeof raw.serverNow === 'number' ? raw.serverNow : Date.now(),
      demo: raw.demo === true,
    };
  } catch {
    return { giveawayId: null, realtimeUrl: '', verifyUrl: null, serverNow: Date.now(), demo: false };
  }
}
