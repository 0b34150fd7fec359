// Shared by the importer tests: a private legacy redis-server with the fixture in it, the importer run
// in-process or as the real CLI (a child process that can be killed), and table snapshots to compare runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { runImport, type ImportOptions, type ImportReportJson } from '../../server/legacy-import/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/redis.ts';
import { writeBulkFixture } from './bulk-fixture.ts';
import { writeLegacyFixture } from './legacy-fixture.ts';

export interface LegacyRedis extends PrivateRedis {
  client: Redis;
}

export async function startLegacyRedis(): Promise<LegacyRedis> {
  const server = await startPrivateRedis();
  const client = new Redis(server.url, { lazyConnect: true });
  await client.connect();
  const stopServer = server.stop.bind(server);
  return Object.assign(server, {
    client,
    stop: async () => {
      client.disconnect();
      await stopServer();
    },
  });
}

/**
 * What the tests that import one keyspace twice and compare start from: two empty databases, and a legacy
 * Redis holding the fixture plus `bulk` giveaways of generated participants (`members`: how many it wrote).
 */
export async function twoTargetsOneSource(bulk: { giveaways: number; participants: number }): Promise<{
  a: TestDatabase;
  b: TestDatabase;
  redis: LegacyRedis;
  members: number;
  stop: () => Promise<void>;
}> {
  const [a, b, redis] = await Promise.all([createTestDatabase(), createTestDatabase(), startLegacyRedis()]);
  await writeLegacyFixture(redis.client);
  const { members } = await writeBulkFixture(redis.client, bulk);
  return {
    a,
    b,
    redis,
    members,
    stop: async () => {
      await Promise.all([a.drop(), b.drop(), redis.stop()]);
    },
  };
}

/**
 * A report's skipped section with its items in key order. They come in SCAN order, which is arbitrary: two
 * walks of one keyspace can differ (Redis rehashes its table in the background).
 */
export function skippedByKey(skipped: ImportReportJson['skipped']): ImportReportJson['skipped'] {
  return { ...skipped, items: [...skipped.items].sort((a, b) => a.key.localeCompare(b.key)) };
}

export function importFrom(url: string, pool: pg.Pool, opts: Partial<ImportOptions> = {}) {
  return runImport({ from: url, pool, ...opts });
}

/** The CLI as an operator runs it, against the database at `databaseUrl`. */
export function spawnCli(args: string[], databaseUrl: string): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/legacy-import/cli.ts', ...args], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return Object.assign(child, { output: () => output });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/**
 * Every imported table as sorted rows. `exact` keeps what differs between two clean runs even when the data
 * is the same (update times, random seeds, import-time creation of placeholders and channels): compare
 * exact snapshots of one database over time, and non-exact ones across databases.
 */
export async function snapshot(pool: pg.Pool, exact: boolean): Promise<Record<string, unknown[]>> {
  const q = async (sql: string) => (await pool.query(sql)).rows as unknown[];
  const vol = (cols: string) => (exact ? `, ${cols}` : '');
  return {
    users: await q(
      `SELECT id, username, first_name, last_name, role, status${vol('created_at, updated_at')} FROM users ORDER BY id`,
    ),
    giveaways: await q(
      `SELECT id, creator_id, title, description, status, started_at, ends_at, duration, winners_count,
         max_participants, allow_tickets, auto_distribute, participants_count, version, pending_since,
         closed_at, finished_at, created_at${vol('updated_at')} FROM giveaways ORDER BY id`,
    ),
    participants: await q('SELECT * FROM participants ORDER BY giveaway_id, user_id'),
    requirements: await q(
      `SELECT giveaway_id, position, type, channel_id, channel_username, name, description, created_at
       FROM requirements ORDER BY giveaway_id, position`,
    ),
    giveaway_prizes: await q(
      `SELECT giveaway_id, position, place, prize_id, title, description, quantity, created_at${vol('id')}
       FROM giveaway_prizes ORDER BY giveaway_id, position`,
    ),
    prizes: await q('SELECT * FROM prizes ORDER BY id'),
    winners: await q('SELECT * FROM winners ORDER BY giveaway_id, place'),
    win_records: await q(
      `SELECT r.id, r.giveaway_id, r.user_id, r.place, gp.position, r.prize_id, r.prize_title,
         r.prize_description, r.quantity, r.status, r.received_at, r.created_at${vol('r.updated_at')}
       FROM win_records r LEFT JOIN giveaway_prizes gp ON gp.id = r.giveaway_prize_id ORDER BY r.id`,
    ),
    tickets: await q(
      `SELECT giveaway_id, user_id, count, created_at${vol('updated_at')} FROM tickets ORDER BY 1, 2`,
    ),
    sponsors: await q(
      `SELECT id, username, title, avatar_url, channel_url${vol('created_at, updated_at')} FROM sponsors ORDER BY id`,
    ),
    giveaway_sponsors: await q('SELECT * FROM giveaway_sponsors ORDER BY giveaway_id, position'),
    channels: await q(
      `SELECT id, type, title, username, invite_url, bot_status, bot_can_check_members${vol('created_at, updated_at')}
       FROM channels ORDER BY id`,
    ),
    channel_admins: await q(
      `SELECT channel_id, user_id, status${vol('updated_at')} FROM channel_admins ORDER BY 1, 2`,
    ),
    draw_proofs: await q(
      `SELECT giveaway_id, mode, entrants_root, entrants_count, bundle, drawn_at${vol('updated_at')} FROM draw_proofs ORDER BY 1`,
    ),
    draw_commitments: await q(
      `SELECT giveaway_id${vol('seed_commitment, created_at')} FROM draw_commitments ORDER BY 1`,
    ),
    draw_entrants: await q(
      `SELECT c.giveaway_id, e.user_id, e.weight
       FROM draw_entrant_chunks c, unnest(c.user_ids, c.weights) AS e(user_id, weight)
       ORDER BY c.giveaway_id, e.user_id`,
    ),
    pre_winner_lists: await q('SELECT * FROM pre_winner_lists ORDER BY giveaway_id'),
  };
}
