// `npm run lint:deps`: dependency-cruiser with the project's .dependency-cruiser.cjs. It must pass on the real
// server/ tree and fail on a small tree whose top-level folders import each other, so the check in
// `npm run check` is known to bite rather than to pass on everything.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
// The exact arguments of `npm run lint:deps`, with the config made absolute for the fixtures.
const script = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts['lint:deps'];
const args = (script ?? '')
  .split(' ')
  .slice(1)
  .map((arg) => (arg === '.dependency-cruiser.cjs' ? join(root, arg) : arg));

interface Cruise {
  code: number;
  output: string;
}

function cruise(cwd: string): Promise<Cruise> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [depcruise, ...args], { cwd }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number')
        return fail(new Error(`depcruise did not run: ${error.message}`));
      done({ code: typeof error?.code === 'number' ? error.code : 0, output: stdout + stderr });
    });
  });
}

const fixtures: string[] = [];
afterAll(() => {
  for (const dir of fixtures) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway project: tsconfig.json plus the given files (path → source). */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'folder-cycles-'));
  fixtures.push(dir);
  const tsconfig = {
    compilerOptions: { module: 'NodeNext', allowImportingTsExtensions: true, noEmit: true },
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return dir;
}

describe('npm run lint:deps (no cycles between top-level folders of server/)', () => {
  it('fails on a cycle between two folders that no module cycle shows', async () => {
    // alpha/uses-beta → beta/index → beta/leaf; beta/uses-alpha → alpha/index → alpha/leaf: every module
    // chain ends, yet alpha and beta import each other.
    const dir = fixture({
      'server/alpha/index.ts': "export { one } from './leaf.ts';\n",
      'server/alpha/leaf.ts': 'export const one = 1;\n',
      'server/alpha/uses-beta.ts': "import { two } from '../beta/index.ts';\nexport const three = two + 1;\n",
      'server/beta/index.ts': "export { two } from './leaf.ts';\n",
      'server/beta/leaf.ts': 'export const two = 2;\n',
      'server/beta/uses-alpha.ts': "import { one } from '../alpha/index.ts';\nexport const four = one + 3;\n",
    });
    const result = await cruise(dir);
    expect(result.code).toBeGreaterThan(0);
    expect(result.output).toMatch(
      /error no-cycles-between-server-folders: server\/alpha →\s+server\/beta →\s+server\/alpha/,
    );
    expect(result.output).toMatch(
      /error no-cycles-between-server-folders: server\/beta →\s+server\/alpha →\s+server\/beta/,
    );
  }, 120_000);

  it("fails when a folder imports another folder's internals instead of its index.ts", async () => {
    const dir = fixture({
      'server/alpha/index.ts': "import { two } from '../beta/leaf.ts';\nexport const one = two - 1;\n",
      'server/beta/index.ts': "export { two } from './leaf.ts';\n",
      'server/beta/leaf.ts': 'export const two = 2;\n',
    });
    const result = await cruise(dir);
    expect(result.code).toBeGreaterThan(0);
    expect(result.output).toContain('error only-through-index: server/alpha/index.ts → server/beta/leaf.ts');
  }, 120_000);

  it('passes on a tree whose folders only depend one way', async () => {
    const dir = fixture({
      'server/alpha/index.ts': "import { two } from '../beta/index.ts';\nexport const one = two - 1;\n",
      'server/beta/index.ts': 'export const two = 2;\n',
    });
    const result = await cruise(dir);
    expect(result.output).toContain('no dependency violations found');
    expect(result.code).toBe(0);
  }, 120_000);

  it('passes on the real server/ tree', async () => {
    const result = await cruise(root);
    expect(result.output).toContain('no dependency violations found');
    expect(result.code).toBe(0);
  }, 180_000);
});
