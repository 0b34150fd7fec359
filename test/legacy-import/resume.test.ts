// The CLI as an operator runs it: killed in the middle of the participants (SIGKILL, no cleanup) and
// restarted, it ends with exactly what a clean run produces; its report file and summary are checked too.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import type { ImportReportJson } from '../../server/legacy-import/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { exitOf, importFrom, snapshot, spawnCli, twoTargetsOneSource, type LegacyRedis } from './harness.ts';

let resumed: TestDatabase;
let clean: TestDatabase;
let redis: LegacyRedis;
let members = 0;
const dir = mkdtempSync(join(tmpdir(), 'legacy-import-'));

let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({
    a: resumed,
    b: clean,
    redis,
    members,
    stop,
  } = await twoTargetsOneSource({
    giveaways: 30,
    participants: 1500,
  }));
});
afterAll(async () => {
  await stop?.();
  rmSync(dir, { recursive: true, force: true });
});

const participants = async (db: TestDatabase) =>
  Number((await db.pool.query('SELECT count(*) FROM participants')).rows[0].count);

it('resumes after a kill and ends exactly as a clean run', { timeout: 180_000 }, async () => {
  const killed = spawnCli(['--from', redis.url, '--batch', '200', '--slow-ms', '25'], resumed.url);
  await expect
    .poll(
      async () => {
        if (killed.exitCode !== null) throw new Error(`finished before the kill:\n${killed.output()}`);
        return participants(resumed);
      },
      { timeout: 120_000, interval: 50 },
    )
    .toBeGreaterThanOrEqual(5_000);
  killed.kill('SIGKILL');
  await exitOf(killed);
  const partial = await participants(resumed);
  expect(partial).toBeLessThan(members);

  const restart = spawnCli(['--from', redis.url, '--report', join(dir, 'resumed.json')], resumed.url);
  const fresh = spawnCli(['--from', redis.url, '--report', join(dir, 'clean.json')], clean.url);
  expect(await exitOf(restart)).toBe(0);
  expect(await exitOf(fresh)).toBe(0);
  expect(await snapshot(resumed.pool, false)).toEqual(await snapshot(clean.pool, false));

  const report = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as ImportReportJson;
  const cleanReport = report('clean.json');
  const resumedReport = report('resumed.json');
  expect(cleanReport.imported.participants).toBe(await participants(clean));
  expect(resumedReport.imported.participants).toBe(cleanReport.imported.participants - partial);
  expect(resumedReport.skipped.by_reason).toEqual(cleanReport.skipped.by_reason);
  expect(fresh.output()).toContain('Legacy import from redis://127.0.0.1');
  expect(fresh.output()).toMatch(/table\s+imported\s+updated/);
  expect(fresh.output()).toMatch(/\[giveaways\] [\d,]+\/[\d,]+ participants/);
});

it(
  'prints the JSON report on standard output without --report, and says when nothing changed',
  { timeout: 60_000 },
  async () => {
    // Given a target that already holds everything (its own, so the test above may run before or after).
    const target = await createTestDatabase();
    onTestFinished(() => target.drop());
    await importFrom(redis.url, target.pool);
    const again = spawnCli(['--from', redis.url], target.url);
    expect(await exitOf(again)).toBe(0);
    const out = again.output();
    expect(out).toContain('Nothing to import or update: the target already matches the source.');
    const json = JSON.parse(out.slice(out.indexOf('{\n'), out.lastIndexOf('}') + 1)) as ImportReportJson;
    expect(Object.values(json.imported).every((n) => n === 0)).toBe(true);
  },
);

it('refuses bad arguments with the usage', async () => {
  const bad = spawnCli(['--from', 'http://nope', '--batch', '0'], clean.url);
  expect(await exitOf(bad)).toBe(2);
  expect(bad.output()).toContain('Usage: npm run import:redis');
});
