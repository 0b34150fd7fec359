// Fills a page template per request: asset URLs under the router's mount path and the injected config as JSON
// that cannot close its script tag. Also the pages' Content-Security-Policy, which pins every request the page
// may make to our own server and the realtime URL, so a streamer's overlay can't be made to call out anywhere.
import type { Page } from './page-bundle.ts';

/** JSON safe inside <script type="application/json">: no `<`, `>`, `&` or line separators reach the HTML. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function renderPage(page: Page, assetBase: string, config: unknown): string {
  return page.template
    .replace('{{CSS}}', `${assetBase}/${page.css}`)
    .replace('{{JS}}', `${assetBase}/${page.js}`)
    .replace('{{CONFIG}}', () => scriptJson(config));
}

/** The socket's origins for connect-src: http(s) for the polling fallback and ws(s) for the WebSocket. */
function realtimeSources(realtimeUrl: string): string[] {
  try {
    const url = new URL(realtimeUrl);
    const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return [url.origin, `${ws}//${url.host}`];
  } catch {
    return [];
  }
}

export function overlayCsp(realtimeUrl: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${realtimeSources(realtimeUrl).join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export const CONTROL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
