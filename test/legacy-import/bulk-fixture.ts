// Bulk legacy giveaways for the resume test and the benchmark: `giveaways` completed/active giveaways with
// `participants` members each, drawn from a pool of users of whom only some have a `user:{uid}` record.
import type { Redis } from 'ioredis';
import { ZERO_TIME, goTime } from './legacy-fixture.ts';

export interface BulkOptions {
  giveaways: number;
  participants: number;
  /** Distinct users participants are drawn from (default: 3 × participants). */
  userPool?: number;
  /** Share of the pool with a user record (default 0.8). */
  withRecords?: number;
}

export const bulkId = (i: number) => `10000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const USER_BASE = 5_000_000_000;

export async function writeBulkFixture(redis: Redis, opts: BulkOptions): Promise<{ members: number }> {
  const pool = opts.userPool ?? opts.participants * 3;
  const recorded = Math.floor(pool * (opts.withRecords ?? 0.8));
  const started = new Date('2025-05-01T10:00:00Z');
  for (let from = 0; from < recorded; from += 10_000) {
    const p = redis.pipeline();
    for (let i = from; i < Math.min(recorded, from + 10_000); i++) {
      const id = USER_BASE + i;
      p.set(
        `user:${id}`,
        JSON.stringify({
          id,
          username: `u${i}`,
          first_name: 'Bulk',
          last_name: '',
          role: 'user',
          status: 'active',
          created_at: goTime(started),
          updated_at: goTime(started),
        }),
      );
    }
    await p.exec();
  }
  let members = 0;
  for (let g = 0; g < opts.giveaways; g++) {
    const id = bulkId(g);
    await redis.set(
      `giveaway:${id}`,
      JSON.stringify({
        id,
        creator_id: USER_BASE + g,
        title: `Bulk giveaway ${g}`,
        description: '',
        status: g % 2 ? 'active' : 'completed',
        started_at: goTime(started),
        ends_at: ZERO_TIME,
        duration: 3600,
        winners_count: 3,
        created_at: goTime(started),
        updated_at: goTime(started),
        allow_tickets: false,
        msg_id: 0,
        prizes: [{ place: 'all', prize_id: '', prize_type: 'telegram_stars' }],
      }),
    );
    // A stride walk over the pool: distinct members, overlapping between giveaways.
    const stride = 7919;
    for (let from = 0; from < opts.participants; from += 10_000) {
      const chunk: string[] = [];
      for (let i = from; i < Math.min(opts.participants, from + 10_000); i++) {
        chunk.push(String(USER_BASE + ((g * 104_729 + i * stride) % pool)));
      }
      members += await redis.sadd(`giveaway:${id}:participants`, ...chunk);
    }
    if (g % 2 === 0) {
      await redis.set(
        `giveaway:${id}:winners`,
        JSON.stringify(
          [1, 2, 3].map((place) => ({
            user_id: USER_BASE + ((g * 104_729 + place * stride) % pool),
            username: '',
            place,
          })),
        ),
      );
    }
  }
  return { members };
}
