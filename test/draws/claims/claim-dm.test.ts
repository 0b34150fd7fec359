// The winner DM of a giveaway with a claim window carries a Claim button; pressing it claims the place through
// the same service as the Mini App route, answers the presser, and removes the button. A reserve who gets the
// place at the deadline is DMed once, with a window of their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../server/auth/index.ts';
import type { RandomProofBundle } from '../../../server/draws/protocol/index.ts';
import { callbackQuery, startHarness, type Harness } from '../../bot/support.ts';
import { createBody } from '../../support/giveaway-fixtures.ts';
import { passClaimDeadline } from '../../support/claim-deadline.ts';

let h: Harness;
const CREATOR = 710;
const creator: Principal = { userId: CREATOR, isAdmin: false, isBanned: false, via: 'init-data' };
let nextUser = 7_100_000;

beforeAll(async () => {
  h = await startHarness();
  await h.db.pool.query(`INSERT INTO users (id, first_name) VALUES ($1, 'Creator')`, [CREATOR]);
  await h.startBot();
  await h.startNotificationWorkers();
});
afterAll(async () => {
  await h?.stop();
});

/** A drawn giveaway with a one-hour claim window: created as the Mini App does, joined, closed, drawn. */
async function drawnWithWindow(winners: number, reserves: number) {
  const view = await h.giveaways.create(
    creator,
    createBody({ winners_count: winners, reserves_count: reserves, claim_window: 3600, prizes: [] }),
  );
  const users = Array.from({ length: winners + reserves + 2 }, () => nextUser++);
  await h.db.pool.query(
    `INSERT INTO users (id, first_name) SELECT u, 'U' FROM unnest($1::bigint[]) u ON CONFLICT DO NOTHING`,
    [users],
  );
  await h.db.pool.query(
    `INSERT INTO participants (giveaway_id, user_id) SELECT $1, u FROM unnest($2::bigint[]) u`,
    [view.id, users],
  );
  await h.db.pool.query(
    `UPDATE giveaways SET participants_count = $2, started_at = now() - interval '2 hours',
       ends_at = now() - interval '1 second' WHERE id = $1`,
    [view.id, users.length],
  );
  expect(await h.services.draws.execution.closeAndDraw(view.id)).toBe('completed');
  const bundle = (await h.services.draws.proofs.getProof(view.id)) as RandomProofBundle;
  return { id: view.id, bundle };
}

const dmsTo = (userId: number) => h.fake.callsOf('sendMessage').filter((c) => c.payload.chat_id === userId);

describe('the Claim button in the winner DM', () => {
  it('claims the place, answers the winner, and leaves only the Open button', async () => {
    const { id, bundle } = await drawnWithWindow(1, 1);
    const winner = Number(bundle.winners[0]?.user_id);
    await h.fake.waitFor(() => dmsTo(winner).length === 1, 10_000, 'the winner DM');
    const dm = dmsTo(winner)[0]?.payload ?? {};
    expect(dm.text).toMatch(/Claim your place by <b>\d{2} \w{3} \d{4} \d{2}:\d{2} UTC<\/b>/);
    const keyboard = dm.reply_markup.inline_keyboard;
    expect(keyboard[0]).toEqual([{ text: '✅ Claim', callback_data: `c:${id}` }]);

    const press = callbackQuery(winner, `c:${id}`);
    (press.callback_query.message as Record<string, unknown>).reply_markup = { inline_keyboard: keyboard };
    const before = h.fake.callsOf('answerCallbackQuery').length;
    h.fake.pushUpdate(press);
    await h.fake.waitFor(() => h.fake.callsOf('answerCallbackQuery').length > before);
    expect(h.fake.callsOf('answerCallbackQuery')[before]?.payload.text).toBe('✅ Claimed! Place 1 is yours.');
    const { rows } = await h.db.pool.query(
      `SELECT claimed_at IS NOT NULL AS claimed FROM winners WHERE giveaway_id = $1 AND place = 1`,
      [id],
    );
    expect(rows).toEqual([{ claimed: true }]);
    await h.fake.waitFor(() => h.fake.callsOf('editMessageReplyMarkup').length > 0);
    expect(h.fake.callsOf('editMessageReplyMarkup').at(-1)?.payload.reply_markup.inline_keyboard).toEqual(
      keyboard.slice(1),
    );
    // The creator sees it in the giveaway view.
    const view = await h.giveaways.get(creator, id);
    expect(view.claim_window).toBe(3600);
    expect(view.winners[0]).toMatchObject({ user_id: winner, claim_extended_at: null });
    expect(view.winners[0]?.claimed_at).toEqual(expect.any(String));
  });

  it('answers someone who holds no place, and a winner whose window has closed', async () => {
    const { id, bundle } = await drawnWithWindow(1, 1);
    const stranger = await roundTrip(callbackQuery(7_199_999, `c:${id}`));
    expect(stranger).toMatchObject({ text: 'You do not hold a place in this giveaway.', show_alert: true });
    const winner = Number(bundle.winners[0]?.user_id);
    await passClaimDeadline(h.db.pool, id);
    expect(await roundTrip(callbackQuery(winner, `c:${id}`))).toMatchObject({
      text: 'The claim window has closed.',
    });
  });

  it('DMs the reserve who takes an unclaimed place once, with a Claim button of their own', async () => {
    const { id, bundle } = await drawnWithWindow(1, 1);
    const reserve = Number(bundle.reserves[0]);
    await passClaimDeadline(h.db.pool, id);
    expect(await h.services.draws.claims.expire(id, 1)).toBe('rerolled');
    // A second pass (another node, a restart) finds nothing to do.
    expect(await h.services.draws.claims.expire(id, 1)).toBe('skipped');
    await h.fake.waitFor(() => dmsTo(reserve).length === 1, 10_000, 'the reserve DM');
    const dm = dmsTo(reserve)[0]?.payload ?? {};
    expect(dm.text).toContain('You won <b>1st place</b>');
    expect(dm.reply_markup.inline_keyboard[0]).toEqual([{ text: '✅ Claim', callback_data: `c:${id}` }]);
    const notified = async () =>
      (
        await h.db.pool.query(
          `SELECT recipient_id::int AS user, status FROM notifications
           WHERE giveaway_id = $1 AND kind = 'winner' ORDER BY recipient_id`,
          [id],
        )
      ).rows;
    // Both winners of the place, each told once: the first at the draw, the reserve at the deadline.
    await expect
      .poll(notified, { timeout: 10_000 })
      .toEqual(
        [Number(bundle.winners[0]?.user_id), reserve]
          .sort((a, b) => a - b)
          .map((user) => ({ user, status: 'sent' })),
      );
    expect(dmsTo(reserve)).toHaveLength(1);
  });
});

async function roundTrip(update: Record<string, unknown>) {
  const before = h.fake.callsOf('answerCallbackQuery').length;
  h.fake.pushUpdate(update);
  await h.fake.waitFor(() => h.fake.callsOf('answerCallbackQuery').length > before);
  return h.fake.callsOf('answerCallbackQuery')[before]?.payload ?? {};
}
