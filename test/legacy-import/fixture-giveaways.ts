// The giveaways of the legacy fixture: one per mapping rule (statuses of both versions, winners from the
// winners key or from win records, "all" prizes, requirement forms, clamps) and the broken ones production
// accumulates (corrupt JSON, bad ids, wrong key types, unknown statuses, orphans of deleted giveaways).
import type { ChainableCommander } from 'ioredis';
import { CHAN, DAY, G, HOUR, P, T0, giveaway, goTime, uuid, winRecord } from './fixture-values.ts';

export function writeGiveaways(p: ChainableCommander, now: Date): void {
  const set = (k: string, v: string) => p.set(k, v);
  const parts = (gid: string, ...ids: Array<number | string>) =>
    p.sadd(`giveaway:${gid}:participants`, ...ids.map(String));
  const recent = new Date(now.getTime() - HOUR);

  // active, not yet ended: "all" prize, both requirement kinds, sponsors, tickets, an over-counting counter.
  set(
    `giveaway:${G.active}`,
    giveaway({
      id: G.active,
      status: 'active',
      started: recent,
      duration: 7 * 24 * 3600,
      winners_count: 3,
      allow_tickets: true,
      prizes: [{ place: 'all', prize_id: P.all, prize_type: 'telegram_stars' }],
      sponsors: [
        {
          id: CHAN.titled,
          title: 'Titled channel',
          username: 'titled_chan',
          channel_url: 'https://t.me/titled_chan',
          avatar_url: '',
        },
      ],
    }),
  );
  set(
    `giveaway:${G.active}:requirements`,
    JSON.stringify([
      { name: 'Follow @titled_chan', type: 'subscription', username: '@titled_chan' },
      { name: 'Boost', type: 'boost', username: String(CHAN.info) },
    ]),
  );
  parts(G.active, 1001, 1002, 2001, 'xyz');
  set(`giveaway:participants_count:${G.active}`, '7');
  p.hset(`giveaway:${G.active}:tickets`, { '1001': '3', '9999': '2', abc: '1', '1002': '0' });
  set(`giveaway:${G.active}:lock`, 'locked');
  p.set(`lock:giveaway:${G.active}`, 'locked', 'EX', 30);

  // active but long past its end: stays active for our scheduler.
  set(
    `giveaway:${G.expired}`,
    giveaway({
      id: G.expired,
      status: 'active',
      creator_id: '2050',
      started: new Date(T0.getTime() - 3 * DAY),
    }),
  );
  parts(G.expired, 2001, 2002);

  // completed: winners key, win records (one distributed), legacy requirement object, custom prize fields.
  set(
    `giveaway:${G.completed}`,
    giveaway({
      id: G.completed,
      status: 'completed',
      winners_count: 2,
      requirements: { requirements: [{ type: 'subscription', username: '@titled_chan' }], enabled: true },
      prizes: [
        { place: 1, prize_id: P.premium, prize_type: 'telegram_premium' },
        {
          place: 2,
          prize_id: P.custom,
          prize_type: 'custom',
          fields: [{ name: 'Item', type: 'text', value: 'T-shirt' }],
        },
      ],
    }),
  );
  parts(G.completed, 1001, 1002, 1003, 2002);
  set(
    `giveaway:${G.completed}:winners`,
    JSON.stringify([
      { user_id: 1001, username: 'user1001', place: 1 },
      { user_id: '2002', username: '', place: 2 },
    ]),
  );
  set(`win_record:${uuid(0x301)}`, winRecord(uuid(0x301), G.completed, 1001, P.premium, 1, 'distributed'));
  set(`win_record:${uuid(0x302)}`, winRecord(uuid(0x302), G.completed, 2002, P.custom, 2));

  // completed by a ticket draw: winners only in win records (one with the expiration path's empty id); the
  // winners key is corrupt.
  set(
    `giveaway:${G.tickets}`,
    giveaway({
      id: G.tickets,
      status: 'completed',
      winners_count: 2,
      allow_tickets: true,
      prizes: [
        { place: 1, prize_id: P.premium, prize_type: 'telegram_premium' },
        { place: 2, prize_id: P.second, prize_type: 'telegram_gifts' },
      ],
    }),
  );
  parts(G.tickets, 1001, 1004, 2003);
  p.hset(`giveaway:${G.tickets}:tickets`, { '1004': '5', '2003': '1' });
  set(`win_record:${uuid(0x303)}`, winRecord(uuid(0x303), G.tickets, 1004, P.premium, 1));
  set('win_record:', winRecord('', G.tickets, 2003, P.second, 2));
  set(`giveaway:${G.tickets}:winners`, '[{"user_id": oops');

  set(`giveaway:${G.history}`, giveaway({ id: G.history, status: 'history' }));
  set(`giveaway:${G.cancelled}`, giveaway({ id: G.cancelled, status: 'cancelled' }));
  parts(G.cancelled, 1005);

  // custom (6ca946a): waiting for the creator's list, which is stored.
  const customUpdated = new Date(T0.getTime() + 5 * HOUR);
  set(
    `giveaway:${G.custom}`,
    giveaway({ id: G.custom, status: 'custom', updated_at: goTime(customUpdated), winners_count: 2 }),
  );
  set(
    `giveaway:${G.custom}:requirements`,
    JSON.stringify([{ name: 'Custom: Post a photo', type: 'custom', description: 'Post a photo' }]),
  );
  parts(G.custom, 1001, 1002, 1003);
  p.hset(`giveaway:${G.custom}:tickets`, { '1002': '4' });
  set(
    `pre_winner_list:${G.custom}`,
    JSON.stringify({
      giveaway_id: G.custom,
      user_ids: [1002, 'x', 1003],
      users: [{ user_id: '1002', username: 'user1002' }],
      created_at: Math.floor(customUpdated.getTime() / 1000) + 60,
    }),
  );

  // pending with win records (the draw ran, the status write did not) / processing with none (redraw).
  set(
    `giveaway:${G.pendingWon}`,
    giveaway({
      id: G.pendingWon,
      status: 'pending',
      prizes: [{ place: 1, prize_id: P.second, prize_type: 'telegram_gifts' }],
    }),
  );
  parts(G.pendingWon, 1003, 1004);
  set(`win_record:${uuid(0x304)}`, winRecord(uuid(0x304), G.pendingWon, 1004, P.second, 1));
  set(
    `giveaway:${G.processing}`,
    giveaway({
      id: G.processing,
      status: 'processing',
      prizes: [{ place: 1, prize_id: P.missing, prize_type: 'telegram_stars' }],
    }),
  );
  parts(G.processing, 1003, 2004);

  set(
    `giveaway:${G.disabledReqs}`,
    giveaway({
      id: G.disabledReqs,
      status: 'completed',
      requirements: { requirements: [{ type: 'boost', username: '@x_chan' }], enabled: false },
    }),
  );
  set(
    `giveaway:${G.clamped}`,
    giveaway({
      id: G.clamped,
      status: 'completed',
      title: `  ${'T'.repeat(150)}  `,
      description: 'd'.repeat(1500),
      duration: 10_000_000,
      winners_count: 0,
      max_participants: -3,
    }),
  );
  set(
    `giveaway:${G.short}`,
    giveaway({ id: G.short, status: 'completed', duration: 2, winners_count: 5, max_participants: 2 }),
  );
  set(
    `giveaway:${G.badEnds}`,
    giveaway({ id: G.badEnds, status: 'completed', ends_at: goTime(new Date(T0.getTime() + 10 * DAY)) }),
  );
  set(`giveaway:${G.corrupt}`, '{"id": "broken", "status": ');
  set(`giveaway:${G.unknownStatus}`, giveaway({ id: G.unknownStatus, status: 'weird' }));
  set(`giveaway:${G.badCreator}`, giveaway({ id: G.badCreator, status: 'active', creator_id: 'abc' }));
  set(`giveaway:${G.wrongType}`, giveaway({ id: G.wrongType, status: 'completed' }));
  set(`giveaway:${G.wrongType}:participants`, '1001,1002');
  set(`giveaway:${G.upper}`, giveaway({ id: G.upper, status: 'completed' }));
  parts(G.upper, 1005);
  // The same UUID spelled in lower case: one giveaway, the other spelling is reported.
  set(`giveaway:${G.upper.toLowerCase()}`, giveaway({ id: G.upper, status: 'active' }));
  set('giveaway:not-a-uuid', giveaway({ id: 'not-a-uuid', status: 'active' }));
  parts('not-a-uuid', 1001);

  // Orphans of a deleted giveaway (DELETE left everything but the main key behind).
  parts(G.deleted, 1001, 1002);
  p.hset(`giveaway:${G.deleted}:tickets`, { '1001': '1' });
  set(`giveaway:${G.deleted}:winners`, '[]');
  set(`giveaway:participants_count:${G.deleted}`, '2');
  set(`win_record:${uuid(0x305)}`, winRecord(uuid(0x305), G.deleted, 1001, P.all, 1));
}
