// Builds the overlay and control pages' browser code and CSS with esbuild, once per process and on first use
// (an api node that never serves an overlay never loads esbuild), keeps every asset in memory with gzip and
// brotli copies, and names each by its content hash so browsers may cache it forever.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Asset {
  name: string;
  type: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
}

export interface Page {
  /** The HTML with {{CSS}}, {{JS}} and {{CONFIG}} left to fill per request. */
  template: string;
  js: string;
  css: string;
}

export interface PageBundle {
  assets: Map<string, Asset>;
  overlay: Page;
  control: Page;
}

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** Best compression for assets built once; `fast` for bodies compressed on every request. */
export function compress(raw: Buffer, fast = false): { gzip: Buffer; br: Buffer } {
  return {
    gzip: gzipSync(raw, { level: fast ? 6 : 9 }),
    br: brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: fast ? 5 : 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
  };
}

/** Drops the indentation and comments of our own templates (never the injected config). */
const squeeze = (html: string) =>
  html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\n\s*/g, '\n')
    .trim();

export async function buildPageBundle(): Promise<PageBundle> {
  // A dev dependency today, loaded only here: see the overlay's notes for production installs.
  const { build } = await import('esbuild');
  const entry = (file: string, out: string) => ({ in: `${PAGE_DIR}${file}`, out });
  const result = await build({
    entryPoints: [
      entry('overlay.ts', 'overlay'),
      entry('styles.css', 'overlay'),
      entry('control.ts', 'control'),
      entry('control.css', 'control'),
    ],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    // OBS embeds an older Chromium (CEF) than browsers ship; Chrome 80 syntax covers OBS 27 and later.
    target: ['chrome80'],
    outdir: '/overlay-assets',
    entryNames: '[name]-[hash]',
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const assets = new Map<string, Asset>();
  const named: Record<string, string> = {};
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const match = /^(overlay|control)-[A-Z0-9]+\.(js|css)$/.exec(name);
    if (!match) continue;
    const raw = Buffer.from(file.contents);
    assets.set(name, {
      name,
      type: TYPES[match[2] ?? ''] ?? 'application/octet-stream',
      raw,
      ...compress(raw),
    });
    named[`${match[1]}.${match[2]}`] = name;
  }
  const page = async (key: 'overlay' | 'control'): Promise<Page> => {
    const js = named[`${key}.js`];
    const css = named[`${key}.css`];
    if (!js || !css) throw new Error(`esbuild produced no ${key} bundle`);
    return { template: squeeze(await readFile(`${PAGE_DIR}${key}.html`, 'utf8')), js, css };
  };
  return { assets, overlay: await page('overlay'), control: await page('control') };
}

/** One build per process, started by the first request; a failed build is retried by the next one. */
export class PageBundleCache {
  private pending: Promise<PageBundle> | null = null;

  constructor(private readonly builder: () => Promise<PageBundle> = buildPageBundle) {}

  get(): Promise<PageBundle> {
    this.pending ??= this.builder().catch((err: unknown) => {
      this.pending = null;
      throw err;
    });
    return this.pending;
  }
}
