// `npm run size -w client-sdk`: the SDK's own code, minified and gzipped, without socket.io-client and @noble
// (what `npx esbuild --bundle --minify --format=esm --external:socket.io-client --external:@noble/*` gives).
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const SIZE_BUDGET_BYTES = 15 * 1024;

export async function measureSdkSize(): Promise<{ minified: number; gzipped: number }> {
  const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const result = await build({
    entryPoints: [join(pkg, 'src/index.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    external: ['socket.io-client', '@noble/*'],
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { minified, gzipped } = await measureSdkSize();
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  console.log(`minified ${kb(minified)}, min+gzip ${kb(gzipped)} (budget ${kb(SIZE_BUDGET_BYTES)})`);
  if (gzipped > SIZE_BUDGET_BYTES) process.exitCode = 1;
}
