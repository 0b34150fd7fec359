// Durable notifications through the real job queue and the fake Bot API: winner and creator DMs (escaped,
// with deep links), 429 handling (short ones waited out, long ones deferred by retry_after), blocked users
// recorded and never retried, results posts, and the owner's per-recipient status.
import * as db from 'zapatos/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../server/auth/index.ts';
import type { JobName } from '../../server/platform/jobs/index.ts';
import { administerChannel, createBody } from '../support/giveaway-fixtures.ts';
import { BLOCKED, FAKE_BOT_USERNAME, tooManyRequests } from '../support/fake-telegram.ts';
import { asUser } from '../support/telegram-user.ts';
import { startHarness, type Harness } from '../bot/support.ts';

let h: Harness;
let giveawayId: string;
const CREATOR = 1400;
const SPONSOR = -1004440000001;
const creator: Principal = { userId: CREATOR, isAdmin: false, isBanned: false, via: 'init-data' };

const enqueue = (name: JobName, data: Record<string, unknown>, key: string) =>
  db.readCommitted(h.db.pool, (tx) => h.jobs.enqueue(tx, name, data, { singletonKey: key }));
const winnerJob = (userId: number, place: number, extra: Record<string, unknown> = {}) =>
  enqueue(
    'notify-winner',
    {
      giveaway_id: giveawayId,
      user_id: userId,
      place,
      prizes: [{ title: 'Stars <3', description: '', quantity: 100 }],
      ...extra,
    },
    `${giveawayId}:winner:${userId}`,
  );
/** A pg-boss job's state, live or archived (the harness's queue uses pg-boss's default schema). */
async function jobState(jobId: string): Promise<string | undefined> {
  const { rows } = await h.db.pool.query<{ state: string }>(
    `SELECT state::text FROM pgboss.job WHERE id = $1 UNION ALL SELECT state::text FROM pgboss.archive WHERE id = $1`,
    [jobId],
  );
  return rows[0]?.state;
}
const dmsTo = (chatId: number) => h.fake.callsOf('sendMessage').filter((c) => c.payload.chat_id === chatId);
async function ledger(recipientId: number, kind = 'winner') {
  const { rows } = await h.db.pool.query(
    'SELECT status, attempts, last_error, telegram_message_id, next_attempt_at FROM notifications WHERE giveaway_id = $1 AND kind = $2 AND recipient_id = $3',
    [giveawayId, kind, recipientId],
  );
  return rows[0];
}

beforeAll(async () => {
  h = await startHarness({ env: { BOT_POST_RESULTS: 'true' } });
  await h.db.pool.query(`INSERT INTO users (id) SELECT generate_series(1400, 1420)`);
  await administerChannel(h.db.pool, CREATOR, SPONSOR, 'sponsorchan');
  await h.startNotificationWorkers();
});
// Each test its own giveaway (so its own ledger rows) and a fresh fake (so the DMs it counts are its own and
// no scripted error is left over for it).
beforeEach(async () => {
  h.fake.reset();
  h.fake.addChat({ id: SPONSOR, type: 'channel', title: 'Sponsor', username: 'sponsorchan' });
  const view = await h.giveaways.create(
    creator,
    createBody({ title: 'Big <b>prize</b> & co', sponsors: [{ id: SPONSOR }] }),
  );
  giveawayId = view.id;
});
afterAll(async () => {
  await h?.stop();
});

describe('winner DMs', () => {
  it('tells each winner their place and prize, escaped, with an Open Giveaway link, once', async () => {
    await winnerJob(1401, 1);
    await winnerJob(1402, 2);
    await h.fake.waitFor(() => dmsTo(1401).length === 1 && dmsTo(1402).length === 1);
    const dm = dmsTo(1402)[0]?.payload ?? {};
    expect(dm.parse_mode).toBe('HTML');
    expect(dm.text).toContain('<b>2nd place</b> in «<b>Big &lt;b&gt;prize&lt;/b&gt; &amp; co</b>»');
    expect(dm.text).toContain('• Stars &lt;3 ×100');
    expect(dm.reply_markup.inline_keyboard).toEqual([
      [{ text: 'Open Giveaway', url: `https://t.me/${FAKE_BOT_USERNAME}?startapp=${giveawayId}` }],
    ]);
    await expect.poll(() => ledger(1402)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(Number((await ledger(1402)).telegram_message_id)).toBeGreaterThan(0);

    // The same logical DM queued again (a redelivery) is skipped: the ledger says it was sent.
    const again = await enqueue(
      'notify-winner',
      { giveaway_id: giveawayId, user_id: 1402, place: 2 },
      `${giveawayId}:again-1402`,
    );
    await expect.poll(() => jobState(again), { timeout: 15_000 }).toBe('completed');
    expect(dmsTo(1402)).toHaveLength(1);
  });

  it('waits out a short 429 inside the call and sends', async () => {
    h.fake.failNext('sendMessage', tooManyRequests(1));
    await winnerJob(1403, 3);
    await h.fake.waitFor(() => dmsTo(1403).some((c) => c.answer?.ok === true));
    const calls = dmsTo(1403);
    expect(calls.map((c) => c.answer?.ok)).toEqual([false, true]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    await expect.poll(() => ledger(1403)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('defers a long 429 by its retry_after instead of failing the job', async () => {
    h.fake.failNext('sendMessage', tooManyRequests(3));
    await winnerJob(1404, 4);
    await expect
      .poll(() => ledger(1404))
      .toMatchObject({ status: 'queued', last_error: expect.stringContaining('Too Many Requests') });
    expect(new Date((await ledger(1404)).next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 1000);
    await h.fake.waitFor(() => dmsTo(1404).some((c) => c.answer?.ok === true), 15_000);
    const calls = dmsTo(1404);
    expect(calls).toHaveLength(2);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(2900);
    await expect.poll(() => ledger(1404)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('stops at a user who blocked the bot, records it and never retries', async () => {
    h.fake.failNext('sendMessage', BLOCKED);
    const job = await winnerJob(1405, 5);
    await expect.poll(() => ledger(1405)).toMatchObject({ status: 'blocked', attempts: 1 });
    const { rows } = await h.db.pool.query('SELECT bot_blocked_at FROM users WHERE id = 1405');
    expect(rows[0]?.bot_blocked_at).toBeInstanceOf(Date);
    // A completed job has no attempt to come: pg-boss only fetches jobs in `created` or `retry`.
    await expect.poll(() => jobState(job), { timeout: 15_000 }).toBe('completed');
    expect(dmsTo(1405)).toHaveLength(1);
  });
});

describe('creator DMs and results posts', () => {
  it('says a giveaway without winners ended without winners, and posts results in sponsor channels', async () => {
    await enqueue(
      'notify-creator',
      { giveaway_id: giveawayId, creator_id: CREATOR, kind: 'completed', winners: 0 },
      `${giveawayId}:c-done`,
    );
    await h.fake.waitFor(() => dmsTo(CREATOR).length === 1);
    const dm = dmsTo(CREATOR)[0]?.payload ?? {};
    expect(dm.text).toContain('has ended without winners');
    expect(dm.text).not.toContain('notified');
    expect(dm.reply_markup.inline_keyboard[0][0].text).toBe('View Giveaway');

    await h.fake.waitFor(() => dmsTo(SPONSOR).length === 1);
    expect(dmsTo(SPONSOR)[0]?.payload.text).toContain('has ended');
    await expect.poll(() => ledger(SPONSOR, 'results_post')).toMatchObject({ status: 'sent' });
  });

  it('tells the creator a pending giveaway needs their winners list', async () => {
    const deadline = new Date(Date.now() + 86_400_000).toISOString();
    await enqueue(
      'notify-creator',
      { giveaway_id: giveawayId, creator_id: CREATOR, kind: 'pending', entrants: 7, deadline },
      `${giveawayId}:c-pending`,
    );
    await h.fake.waitFor(() => dmsTo(CREATOR).length === 1);
    const text = String(dmsTo(CREATOR)[0]?.payload.text);
    expect(text).toContain('waiting for you');
    expect(text).toContain('Participants: <b>7</b>');
  });
});

describe('GET /giveaways/:id/notifications', () => {
  it('shows the owner every recipient and its status, and nobody else', async () => {
    // This giveaway's own recipients: a winner told, a winner who blocked the bot, the creator told and a
    // results post made, and a winner whose job has not run yet.
    await winnerJob(1411, 1);
    await expect.poll(() => ledger(1411)).toMatchObject({ status: 'sent' });
    h.fake.failNext('sendMessage', BLOCKED);
    await winnerJob(1415, 5);
    await expect.poll(() => ledger(1415)).toMatchObject({ status: 'blocked' });
    await enqueue(
      'notify-creator',
      { giveaway_id: giveawayId, creator_id: CREATOR, kind: 'completed', winners: 0 },
      `${giveawayId}:c-done`,
    );
    await expect.poll(() => ledger(CREATOR, 'creator_completed')).toMatchObject({ status: 'sent' });
    await expect.poll(() => ledger(SPONSOR, 'results_post')).toMatchObject({ status: 'sent' });
    await h.db.pool.query(`INSERT INTO winners (giveaway_id, place, user_id) VALUES ($1, 9, 1419)`, [
      giveawayId,
    ]);
    const res = await asUser(h.url, { id: CREATOR })(`/api/v1/giveaways/${giveawayId}/notifications`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    const byRecipient = Object.fromEntries(
      body.items.map((i: any) => [`${i.kind}:${i.recipient_id}`, i.status]),
    );
    expect(byRecipient).toMatchObject({
      'winner:1411': 'sent',
      'winner:1415': 'blocked',
      'winner:1419': 'queued', // A winner whose job has not run yet.
      'creator_completed:1400': 'sent',
      [`results_post:${SPONSOR}`]: 'sent',
    });
    expect(body.summary.blocked).toBe(1);
    expect(body.items.find((i: any) => i.recipient_id === 1411)).toMatchObject({
      attempts: 1,
      sent_at: expect.any(String),
      telegram_message_id: expect.any(Number),
    });

    const stranger = await asUser(h.url, { id: 1410 })(`/api/v1/giveaways/${giveawayId}/notifications`);
    expect(stranger.status).toBe(403);
  });
});
