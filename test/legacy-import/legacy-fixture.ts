// A realistic legacy keyspace (reference/legacy-system.md §8, both Redis-era versions): every key shape the
// Go code and the bot wrote, plus what years of production leave behind — orphans, drifting status sets,
// over-counting join counters, legacy requirement objects, zero ends_at, corrupt and mistyped values.
import type { Redis } from 'ioredis';
import { writeGiveaways } from './fixture-giveaways.ts';
import { CHAN, DAY, G, P, T0, USERS, goTime } from './fixture-values.ts';

export * from './fixture-values.ts';

export async function writeLegacyFixture(redis: Redis, now = new Date()): Promise<void> {
  const p = redis.pipeline();
  const set = (k: string, v: string) => p.set(k, v);

  // Users (one admin, one banned, one with a username Telegram would refuse), a hash where a string belongs.
  USERS.forEach((id, i) =>
    set(
      `user:${id}`,
      JSON.stringify({
        id,
        username: i === 3 ? 'bad name!' : `user${id}`,
        first_name: `First${id}`,
        last_name: i === 0 ? 'Last' : '',
        role: i === 1 ? 'admin' : 'user',
        status: i === 2 ? 'banned' : 'active',
        created_at: goTime(new Date(T0.getTime() - DAY * (i + 1))),
        updated_at: goTime(T0),
      }),
    ),
  );
  p.hset('user:1234', 'id', '1234');
  set('user:1006', '{"id":1006,"username":'); // corrupt

  // Prize catalogue, including a free-standing custom prize (POST /prizes/custom) and a corrupt record.
  const prize = (id: string, type: string, name: string, extra = {}) =>
    set(
      `prize:${id}`,
      JSON.stringify({
        id,
        type,
        name,
        is_internal: true,
        created_at: goTime(T0),
        updated_at: goTime(T0),
        ...extra,
      }),
    );
  prize(P.all, 'telegram_stars', 'Prize for all winners');
  prize(P.premium, 'telegram_premium', 'Prize for place 1');
  prize(P.custom, 'custom', 'Prize for place 2', {
    fields: [{ name: 'Item', type: 'text', value: 'T-shirt' }],
  });
  prize(P.second, 'telegram_gifts', 'Prize for place 2');
  prize(P.freeStanding, 'custom', 'Hoodie', { is_internal: false, description: 'Size M' });
  set(`prize:${P.corrupt}`, 'not json');
  set(
    `prize:${P.all}:distribution`,
    JSON.stringify({ GiveawayID: G.completed, UserID: 1001, Time: goTime(T0) }),
  );
  set('prize:templates', '[]');
  p.sadd('requirement:templates', JSON.stringify({ id: 't1', name: 'Subscription', type: 'subscription' }));

  // Channels: bot keys, the app's info cache, and a channel known only from a user's channel set.
  set(`channel:${CHAN.titled}:title`, 'Titled channel');
  set(`channel:${CHAN.titled}:username`, 'titled_chan');
  set(`channel:${CHAN.titled}:avatar`, 'https://cdn.example/a.jpg');
  set(
    `channel:info:id:${CHAN.info}`,
    JSON.stringify({
      id: CHAN.info,
      title: 'Info channel',
      username: 'info_chan',
      channel_url: 'https://t.me/info_chan',
    }),
  );
  set('channel:info:username:info_chan', JSON.stringify({ id: CHAN.info }));
  set('channel:avatar:info_chan', 'https://t.me/i/userpic/320/info_chan.jpg');
  p.sadd('user:1001:channels', String(CHAN.titled), String(CHAN.info), String(CHAN.bare));
  p.sadd(`channel:${CHAN.titled}:boost_users`, '1001');
  writeGiveaways(p, now);

  // Status sets that drift from the JSON, and keys we leave behind.
  p.sadd('giveaways:active', G.active, G.expired, G.cancelled, G.deleted, G.badCreator);
  p.sadd(
    'giveaways:history',
    G.completed,
    G.tickets,
    G.history,
    G.disabledReqs,
    G.clamped,
    G.short,
    G.badEnds,
  );
  p.sadd('giveaways:pending', G.pendingWon);
  p.sadd('giveaways:processing', G.processing);
  set('tonproof:proof:1001', '{}');
  set('bot:session', 'x');
  set('some:unknown:key', 'x');
  await p.exec();
}
