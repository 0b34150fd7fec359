// `npm run build -w client-sdk`: dist/index.js (one ESM file; socket.io-client and @noble stay imports) and
// .d.ts files whose contract types are inlined, then checks that dist stands alone (no zod, no schema paths,
// declarations that compile without Node types or the repository). One TypeScript program does the emit and
// the contract expansion.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { format } from 'prettier';
import ts from 'typescript';
import { contractDeclarations } from './contract-dts.ts';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(pkg, '..');
const dist = join(pkg, 'dist');
const src = join(pkg, 'src');

rmSync(dist, { recursive: true, force: true });
await build({
  // webhooks.ts is its own entry point (server-side receivers), so the browser bundle does not grow.
  entryPoints: [join(src, 'index.ts'), join(src, 'webhooks.ts')],
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['socket.io-client', '@noble/*', 'standardwebhooks'],
  legalComments: 'none',
  logLevel: 'warning',
});

const config = ts.getParsedCommandLineOfConfigFile(
  join(pkg, 'tsconfig.build.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => fail([d]),
  },
);
if (!config) throw new Error('cannot read tsconfig.build.json');
const program = ts.createProgram(config.fileNames, config.options);
fail(ts.getPreEmitDiagnostics(program));
// Where tsconfig.build.json's outDir puts the sources' declarations; nothing is written there, they go to dist.
const emittedSrc = join(pkg, '.build/types/client-sdk/src');
const emitted = program.emit(
  undefined,
  (file, text) => {
    if (!file.startsWith(emittedSrc)) return; // the contract's own declarations: replaced below
    const target = join(dist, relative(emittedSrc, file));
    mkdirSync(dirname(target), { recursive: true });
    // Declaration emit keeps the sources' `.ts` specifiers; the published files are `.js` / `.d.ts`.
    writeFileSync(target, text.replace(/(from\s+'\.{1,2}\/[^']*)\.ts'/g, "$1.js'"));
  },
  undefined,
  true,
);
fail(emitted.diagnostics);
const contract = `${contractDeclarations(root, program)}export {};\n`;
writeFileSync(
  join(dist, 'contract.d.ts'),
  await format(contract, { parser: 'typescript', singleQuote: true, printWidth: 110 }),
);

for (const file of walk(dist)) {
  const text = readFileSync(file, 'utf8');
  if (/schema\/contract|from 'zod'|server\//.test(text.replace(/^\s*(\/\/|\*).*$/gm, ''))) {
    throw new Error(`${file} still refers to repository code`);
  }
}
const standalone = ts.createProgram([join(dist, 'index.d.ts')], {
  strict: true,
  noEmit: true,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
});
fail(ts.getPreEmitDiagnostics(standalone));
console.log(`built ${relative(process.cwd(), dist) || '.'}`);

function fail(diagnostics: readonly ts.Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  const host = {
    getCanonicalFileName: (f: string) => f,
    getCurrentDirectory: () => pkg,
    getNewLine: () => '\n',
  };
  throw new Error(ts.formatDiagnostics(diagnostics, host));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
