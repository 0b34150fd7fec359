// The verify page's assets, built once per process into memory: the browser script bundled by esbuild from
// page/verify-app.ts (the SDK verifier and its noble crypto included, so the page makes no external request),
// the stylesheet and the HTML template. esbuild is loaded lazily: without it only this page is unavailable.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface PageAssets {
  html: string;
  css: string;
  js: string;
  /** Content hash, for ETags. */
  version: string;
}

const here = (file: string) => fileURLToPath(new URL(`./page/${file}`, import.meta.url));

export async function buildPageAssets(): Promise<PageAssets> {
  const esbuild = await import('esbuild');
  const [html, css, built] = await Promise.all([
    readFile(here('verify.html'), 'utf8'),
    readFile(here('verify.css'), 'utf8'),
    esbuild.build({
      entryPoints: [here('verify-app.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: ['es2022'],
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    }),
  ]);
  const js = built.outputFiles[0]?.text;
  if (js === undefined) throw new Error('esbuild produced no verify page script');
  const version = createHash('sha256').update(html).update(css).update(js).digest('hex').slice(0, 16);
  return { html, css, js, version };
}
