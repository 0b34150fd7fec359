// Signed, durable, ordered delivery through the real job queue to a local receiver that verifies every
// request with the standardwebhooks library; the SDK's verifyWebhook refuses tampered and replayed ones.
import * as db from 'zapatos/db';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook, WebhookVerifyError } from '../../client-sdk/src/webhooks.ts';
import type { Principal } from '../../server/auth/index.ts';
import { publishWebhookEvent } from '../../server/webhooks/index.ts';
import {
  apiKeyOwner,
  deliveryRows,
  insertGiveaway,
  Receiver,
  startHarness,
  type Harness,
} from './support.ts';

let h: Harness;
let owner: Principal;
const OWNER = 2100;

beforeAll(async () => {
  h = await startHarness();
  owner = await apiKeyOwner(h, OWNER);
  await h.db.pool.query('INSERT INTO users (id) SELECT generate_series(2101, 2110)');
});
afterAll(async () => {
  await h?.stop();
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A receiver and an endpoint pointing at it, both gone after the test (so later tests see only theirs). */
async function endpointFor(receiver: Receiver, events = ['giveaway.created', 'giveaway.status_changed']) {
  await receiver.up();
  const ep = await h.hooks.service.create(owner, { url: receiver.url, events: events as never });
  receiver.secret = ep.secret;
  cleanups.push(async () => {
    await h.hooks.service.remove(owner, ep.id).catch(() => undefined);
  });
  return ep;
}

describe('signed delivery', () => {
  it('delivers a Standard Webhooks request the spec library verifies, with the event in the body', async () => {
    const receiver = new Receiver();
    const ep = await endpointFor(receiver);
    const giveawayId = await insertGiveaway(h, OWNER, 'Signed one');
    await expect.poll(() => receiver.received.length, { timeout: 5_000 }).toBe(1);
    const got = receiver.received[0];
    expect(got?.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(got?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(got?.event).toMatchObject({
      type: 'giveaway.created',
      data: { giveaway_id: giveawayId, title: 'Signed one', status: 'active', creator_id: OWNER },
    });
    expect(receiver.rejected).toEqual([]);
    await expect
      .poll(() => deliveryRows(h, ep.id))
      .toEqual([expect.objectContaining({ id: got?.id, status: 'delivered', attempts: 1 })]);
  });

  it('sends giveaway.drawn with the winners once the drawing transaction commits', async () => {
    const receiver = new Receiver();
    await endpointFor(receiver, ['giveaway.drawn']);
    const giveawayId = await insertGiveaway(h, OWNER);
    await db.readCommitted(h.db.pool, async (tx) => {
      await tx.query(`UPDATE giveaways SET status = 'completed', finished_at = now() WHERE id = $1`, [
        giveawayId,
      ]);
      // Written after the status change in the same transaction: still in the event (deferred to commit).
      await tx.query(
        `INSERT INTO winners (giveaway_id, place, user_id) VALUES ($1, 1, 2101), ($1, 2, 2102)`,
        [giveawayId],
      );
    });
    await expect.poll(() => receiver.received.length, { timeout: 5_000 }).toBe(1);
    expect(receiver.received[0]?.event).toMatchObject({
      type: 'giveaway.drawn',
      data: {
        giveaway_id: giveawayId,
        winners: [
          { place: 1, user_id: 2101 },
          { place: 2, user_id: 2102 },
        ],
      },
    });
  });

  it('publishes winner_changed and claimed from a caller transaction, and nothing when it rolls back', async () => {
    const receiver = new Receiver();
    await endpointFor(receiver, ['giveaway.winner_changed', 'giveaway.claimed']);
    const giveawayId = await insertGiveaway(h, OWNER);
    await db
      .readCommitted(h.db.pool, async (tx) => {
        await publishWebhookEvent(tx, 'giveaway.claimed', { giveaway_id: giveawayId, place: 9 });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await db.readCommitted(h.db.pool, async (tx) => {
      await publishWebhookEvent(tx, 'giveaway.winner_changed', {
        giveaway_id: giveawayId,
        place: 1,
        previous_user_id: 2101,
        user_id: 2103,
        reason: 'unclaimed',
      });
      await publishWebhookEvent(tx, 'giveaway.claimed', { giveaway_id: giveawayId, place: 1 });
    });
    await expect
      .poll(() => receiver.received.map((r) => r.event.type))
      .toEqual(['giveaway.winner_changed', 'giveaway.claimed']);
    expect(receiver.received[1]?.event.data).toEqual({ giveaway_id: giveawayId, place: 1 });
  });
});

describe('durability and order', () => {
  it('delivers every event once and in order after the receiver was down for a while', async () => {
    const receiver = new Receiver();
    const ep = await endpointFor(receiver, [
      'giveaway.created',
      'giveaway.status_changed',
      'giveaway.participants',
    ]);
    await receiver.down();
    const a = await insertGiveaway(h, OWNER, 'A');
    const b = await insertGiveaway(h, OWNER, 'B');
    for (const n of [3, 7, 12]) {
      await h.db.pool.query('UPDATE giveaways SET participants_count = $2 WHERE id = $1', [a, n]);
    }
    await h.db.pool.query(`UPDATE giveaways SET status = 'cancelled' WHERE id = $1`, [a]);
    await h.db.pool.query(`UPDATE giveaways SET status = 'cancelled' WHERE id = $1`, [b]);
    // Several attempts fail (connection refused) before the receiver comes back.
    await expect
      .poll(async () => (await deliveryRows(h, ep.id)).find((d) => d.giveaway_id === a)?.attempts ?? 0, {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(3);
    expect(receiver.received).toEqual([]);
    await receiver.up();

    await expect
      .poll(async () => (await deliveryRows(h, ep.id)).every((d) => d.status !== 'pending'), {
        timeout: 15_000,
      })
      .toBe(true);
    const rows = await deliveryRows(h, ep.id);
    const delivered = rows.filter((d) => d.status === 'delivered');
    // Each webhook-id arrived exactly once.
    expect(receiver.received.map((r) => r.id).sort()).toEqual(delivered.map((d) => d.id).sort());
    // Per giveaway, in the order the changes committed; counts coalesced to the latest one.
    const forGiveaway = (id: string) =>
      receiver.received
        .filter((r) => r.event.data.giveaway_id === id)
        .map((r) => [
          r.event.type,
          r.event.type === 'giveaway.participants' ? r.event.data.participants_count : r.event.data.status,
        ]);
    expect(forGiveaway(a)).toEqual([
      ['giveaway.created', 'active'],
      ['giveaway.participants', 12],
      ['giveaway.status_changed', 'cancelled'],
    ]);
    expect(forGiveaway(b)).toEqual([
      ['giveaway.created', 'active'],
      ['giveaway.status_changed', 'cancelled'],
    ]);
    expect(rows.filter((d) => d.status === 'superseded').map((d) => d.event_type)).toEqual([
      'giveaway.participants',
      'giveaway.participants',
    ]);
  });

  it('keeps the webhook-id on manual redelivery, listed in the delivery log', async () => {
    const receiver = new Receiver();
    const ep = await endpointFor(receiver, ['giveaway.created']);
    await insertGiveaway(h, OWNER);
    await expect
      .poll(async () => (await h.hooks.service.deliveries(owner, ep.id, { limit: 10 })).items, {
        timeout: 5_000,
      })
      .toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
    const log = await h.hooks.service.deliveries(owner, ep.id, { limit: 10 });
    const first = log.items[0];
    await h.hooks.service.redeliver(owner, ep.id, first?.id ?? '');
    await expect.poll(() => receiver.received.length, { timeout: 5_000 }).toBe(2);
    expect(receiver.received[1]?.id).toBe(first?.id);
    expect(receiver.received[1]?.body).toBe(receiver.received[0]?.body);
  });
});

describe('secret rotation', () => {
  it('signs with both secrets during the overlap, so receivers on either one accept', async () => {
    const receiver = new Receiver();
    const ep = await endpointFor(receiver, ['giveaway.created']);
    const oldSecret = ep.secret;
    const rotated = await h.hooks.service.rotateSecret(owner, ep.id);
    expect(rotated.secret).not.toBe(oldSecret);
    expect(rotated.previous_secret_expires_at).not.toBeNull();
    receiver.secret = oldSecret; // a receiver not yet switched over
    await insertGiveaway(h, OWNER);
    await expect.poll(() => receiver.received.length, { timeout: 5_000 }).toBe(1);
    const got = receiver.received[0];
    expect(got?.headers['webhook-signature']?.toString().split(' ')).toHaveLength(2);
    const headers = got?.headers as Record<string, string>;
    expect(() => new Webhook(rotated.secret).verify(got?.body ?? '', headers)).not.toThrow();
    expect(verifyWebhook(got?.body ?? '', headers, rotated.secret).type).toBe('giveaway.created');
  });
});

describe('verifyWebhook (SDK)', () => {
  let captured: { body: string; headers: Record<string, string>; secret: string };

  beforeAll(async () => {
    const receiver = new Receiver();
    const ep = await endpointFor(receiver, ['giveaway.created']);
    await insertGiveaway(h, OWNER, 'For the SDK');
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5_000 });
    const got = receiver.received[0];
    captured = { body: got?.body ?? '', headers: got?.headers as Record<string, string>, secret: ep.secret };
  });

  it('accepts the genuine delivery and returns the typed event', () => {
    const event = verifyWebhook(captured.body, captured.headers, captured.secret);
    expect(event.type).toBe('giveaway.created');
    if (event.type === 'giveaway.created') expect(event.data.title).toBe('For the SDK');
    const fetchHeaders = new Headers(captured.headers);
    expect(verifyWebhook(captured.body, fetchHeaders, captured.secret).type).toBe('giveaway.created');
  });

  it('refuses a tampered body, a tampered id and a wrong secret', () => {
    const tampered = captured.body.replace('For the SDK', 'For the SDX');
    expect(() => verifyWebhook(tampered, captured.headers, captured.secret)).toThrow(WebhookVerifyError);
    const otherId = { ...captured.headers, 'webhook-id': 'msg_00000000000000000000000000000000' };
    expect(() => verifyWebhook(captured.body, otherId, captured.secret)).toThrow(/signature/i);
    const wrong = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(() => verifyWebhook(captured.body, captured.headers, wrong)).toThrow(WebhookVerifyError);
    const { ['webhook-signature']: _, ...unsigned } = captured.headers;
    expect(() => verifyWebhook(captured.body, unsigned, captured.secret)).toThrow(
      /Missing webhook-signature/,
    );
  });

  it('refuses a replay: an old timestamp, and a webhook-id already seen', () => {
    // Re-signed honestly but 10 minutes ago: outside the spec's 5-minute tolerance.
    const at = new Date(Date.now() - 10 * 60_000);
    const id = captured.headers['webhook-id'] ?? '';
    const old = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(captured.secret).sign(id, at, captured.body),
    };
    expect(() => verifyWebhook(captured.body, old, captured.secret)).toThrow(/too old/i);
    const seen = new Set<string>();
    verifyWebhook(captured.body, captured.headers, captured.secret, { seen });
    expect(() => verifyWebhook(captured.body, captured.headers, captured.secret, { seen })).toThrow(
      expect.objectContaining({ reason: 'replay' }),
    );
  });
});
