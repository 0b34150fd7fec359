// The published package end to end: `npm pack` (which builds), install the tarball into a fresh project with
// the example, type-check the example against the packed declarations, and run it against a real server.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDataFor } from '../../test/support/telegram-user.ts';
import { giveawayBody, startSdkServer, type SdkServer } from './support.ts';

const run = promisify(execFile);
const sdkDir = resolve(fileURLToPath(import.meta.url), '../..');
const repoRoot = resolve(sdkDir, '..');
let server: SdkServer;
let work: string;
// `npm pack` builds dist/ (prepack); a build that was not there before the test is removed after it.
const hadDist = existsSync(join(sdkDir, 'dist'));

beforeAll(async () => {
  server = await startSdkServer();
  work = mkdtempSync(join(tmpdir(), 'sdk-pack-'));
});
afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  if (!hadDist) rmSync(join(sdkDir, 'dist'), { recursive: true, force: true });
});

describe('the packed SDK', () => {
  it('installs from its tarball and runs the watch-giveaway example against the server', async () => {
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: sdkDir });
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    if (!info) throw new Error('npm pack printed no result');
    const files = info.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/contract.d.ts',
        'README.md',
        'CHANGELOG.md',
      ]),
    );
    expect(files.filter((f) => !/^(dist\/|README\.md$|CHANGELOG\.md$|package\.json$)/.test(f))).toEqual([]);

    const app = join(work, 'app');
    cpSync(join(sdkDir, 'examples/watch-giveaway'), app, { recursive: true });
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, info.filename)], {
      cwd: app,
    });

    // The example is `// @ts-check` JavaScript: checking it exercises the packed declarations, standalone.
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          allowJs: true,
          checkJs: true,
          noEmit: true,
          strict: true,
          module: 'nodenext',
          target: 'es2022',
          lib: ['es2022', 'dom'],
          types: ['node'],
          typeRoots: [join(repoRoot, 'node_modules/@types')],
        },
        files: ['index.mjs'],
      }),
    );
    await run(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', app], { cwd: app });

    const owner = server.clientFor({ id: 401, username: 'host' });
    const created = await owner.giveaways.create(giveawayBody({ title: 'Packed' }));
    for (const id of [402, 403]) await server.clientFor({ id }).giveaways.join(created.id);

    const child = spawn(process.execPath, ['index.mjs', created.id, '25'], {
      cwd: app,
      // Only what the example reads: nothing of this process leaks into the consumer's run.
      env: {
        GIVEAWAY_API: server.app.url,
        GIVEAWAY_REALTIME: server.realtimeUrl,
        GIVEAWAY_INIT_DATA: initDataFor({ id: 401 }),
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', done));

    await expect
      .poll(() => output.includes('participants: 2'), {
        timeout: 15_000,
        message: 'the example to print the first count',
      })
      .toBe(true);
    await server.clientFor({ id: 404 }).giveaways.join(created.id);
    await server.db.pool.query(
      `UPDATE giveaways SET started_at = now() - interval '10 minutes', ends_at = now() - interval '1 second' WHERE id = $1`,
      [created.id],
    );
    expect(await exited).toBe(0);
    expect(output).toContain('snapshot (subscribe): "Packed" is active, participants: 2');
    expect(output).toMatch(/winner #1: /);
    expect(output).toMatch(/winner #2: /);
    expect(output).toContain('verified: yes (random)');
  }, 240_000);
});
