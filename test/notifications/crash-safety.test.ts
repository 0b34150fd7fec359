// Killing a worker mid-batch neither loses nor repeats a DM: a worker process is SIGKILLed while one send
// is in flight (the fake Bot API holds it unanswered) and four of the batch were already delivered; a new
// worker then redelivers the batch, skips the four the ledger marks sent, and sends the fifth once.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import * as db from 'zapatos/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../server/auth/index.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startHarness, type Harness } from '../bot/support.ts';

const CHILD = fileURLToPath(new URL('./support/worker-child.ts', import.meta.url));
const WINNERS = [1501, 1502, 1503, 1504, 1505];
const HELD = 1503;

let h: Harness;
let giveawayId: string;
const children: ChildProcess[] = [];

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: h.db.url,
      BOT_API_ROOT: h.fake.apiRoot,
      BOT_TOKEN: TEST_BOT_TOKEN,
      LEASE_SEC: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    // Not a sleep: the deadline of a wait for the worker's ready line.
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`worker exited:\n${output}`)));
  });
  return child;
}

const ledger = async () =>
  Object.fromEntries(
    (
      await h.db.pool.query(
        `SELECT recipient_id, status, attempts FROM notifications WHERE giveaway_id = $1 AND kind = 'winner'`,
        [giveawayId],
      )
    ).rows.map((r) => [Number(r.recipient_id), { status: r.status, attempts: r.attempts }]),
  );

beforeAll(async () => {
  h = await startHarness();
  await h.db.pool.query(`INSERT INTO users (id) SELECT generate_series(1500, 1505)`);
  const creator: Principal = { userId: 1500, isAdmin: false, isBanned: false, via: 'init-data' };
  giveawayId = (await h.giveaways.create(creator, createBody())).id;
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await h?.stop();
});

describe('crash safety of winner DMs', () => {
  it('delivers every DM exactly once across a worker killed mid-send and its replacement', async () => {
    // Hold the send to one winner forever: that worker dies with it in flight.
    h.fake.on('sendMessage', (payload) =>
      payload.chat_id === HELD ? new Promise(() => undefined) : h.fake.defaultAnswer('sendMessage', payload),
    );
    await db.readCommitted(h.db.pool, async (tx) => {
      for (const [i, userId] of WINNERS.entries()) {
        await h.jobs.enqueue(
          tx,
          'notify-winner',
          { giveaway_id: giveawayId, user_id: userId, place: i + 1, prizes: [] },
          { singletonKey: `${giveawayId}:winner:${userId}` },
        );
      }
    });

    const first = await startWorker();
    await h.fake.waitFor(() => h.fake.callsOf('sendMessage').length === WINNERS.length, 15_000, 'five sends');
    await expect
      .poll(async () => Object.values(await ledger()).filter((r) => r.status === 'sent').length)
      .toBe(4);
    first.kill('SIGKILL');
    await once(first, 'exit');

    // The intent survived the crash: the held recipient is "sending", the others "sent".
    expect((await ledger())[HELD]).toEqual({ status: 'sending', attempts: 1 });
    // What pg-boss does once the dead worker's jobs expire (5 minutes in production).
    await h.db.pool.query(
      `UPDATE pgboss.job SET state = 'retry', start_after = now() WHERE name = 'notify-winner' AND state = 'active'`,
    );
    h.fake.on('sendMessage', undefined);
    // The dead worker's claim on the held recipient runs out: moved into the past rather than waited for.
    await h.db.pool.query(
      `UPDATE notifications SET claimed_at = now() - interval '1 minute' WHERE giveaway_id = $1 AND status = 'sending'`,
      [giveawayId],
    );

    await startWorker();
    await h.fake.waitFor(
      () => h.fake.callsOf('sendMessage').some((c) => c.payload.chat_id === HELD && c.answered),
      15_000,
      'the held DM to be resent',
    );
    await expect.poll(async () => Object.values(await ledger()).every((r) => r.status === 'sent')).toBe(true);
    await expect
      .poll(async () => (await h.jobs.countByState('notify-winner')).completed, { timeout: 10_000 })
      .toBe(5);

    const delivered = (userId: number) =>
      h.fake.callsOf('sendMessage').filter((c) => c.payload.chat_id === userId && c.answered).length;
    expect(WINNERS.map(delivered)).toEqual([1, 1, 1, 1, 1]);
    // Six requests in all: the one the dead worker never got an answer to, and its replacement.
    expect(h.fake.callsOf('sendMessage')).toHaveLength(6);
    expect((await ledger())[HELD]).toEqual({ status: 'sent', attempts: 2 });
  });
});
