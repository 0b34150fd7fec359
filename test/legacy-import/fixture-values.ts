// Names and value helpers of the legacy fixture: Go-style times, fixed ids the tests assert on, and the
// JSON shapes the legacy code wrote (giveaway, win record).

/** Go's time.Time JSON: RFC3339Nano in a server-local offset (+03:00 here). */
export function goTime(d: Date): string {
  const local = new Date(d.getTime() + 3 * 3600_000).toISOString().replace('Z', '');
  return `${local.slice(0, 19)}.${local.slice(20, 23)}456789+03:00`;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
export const T0 = new Date('2025-06-10T09:00:00.000Z');

export const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const G = {
  active: uuid(0x101),
  expired: uuid(0x102),
  completed: uuid(0x103),
  tickets: uuid(0x104),
  history: uuid(0x105),
  cancelled: uuid(0x106),
  custom: uuid(0x107),
  pendingWon: uuid(0x108),
  processing: uuid(0x109),
  disabledReqs: uuid(0x10a),
  clamped: uuid(0x10b),
  short: uuid(0x10c),
  badEnds: uuid(0x10d),
  corrupt: uuid(0x10e),
  unknownStatus: uuid(0x10f),
  badCreator: uuid(0x110),
  wrongType: uuid(0x111),
  upper: 'ABCDEF00-0000-4000-8000-000000000112',
  deleted: uuid(0x1ff),
} as const;

export const P = {
  all: uuid(0x201),
  premium: uuid(0x202),
  custom: uuid(0x203),
  freeStanding: uuid(0x204),
  corrupt: uuid(0x205),
  missing: uuid(0x206),
  second: uuid(0x207),
} as const;

export const CHAN = { titled: -1001111, info: -1002222, bare: -1003333 } as const;
/** Users with a `user:{uid}` record; 2001.. have none (placeholders). */
export const USERS = [1001, 1002, 1003, 1004, 1005] as const;

interface GiveawayJson {
  id: string;
  status: string;
  creator_id?: unknown;
  title?: unknown;
  duration?: unknown;
  winners_count?: unknown;
  started?: Date;
  [extra: string]: unknown;
}

export function giveaway(g: GiveawayJson): string {
  const started = g.started ?? T0;
  const { started: _s, ...rest } = g;
  return JSON.stringify({
    creator_id: 1001,
    title: 'Summer giveaway',
    description: 'Win stars',
    started_at: goTime(started),
    ends_at: ZERO_TIME,
    duration: 3600,
    winners_count: 1,
    created_at: goTime(started),
    updated_at: goTime(new Date(started.getTime() + 2 * HOUR)),
    allow_tickets: false,
    msg_id: 0,
    ...rest,
  });
}

export const winRecord = (
  id: string,
  gid: string,
  user: number,
  prize: string,
  place: number,
  status = 'pending',
) =>
  JSON.stringify({
    id,
    giveaway_id: gid,
    user_id: user,
    prize_id: prize,
    place,
    status,
    created_at: goTime(new Date(T0.getTime() + 2 * HOUR)),
    updated_at: goTime(new Date(T0.getTime() + 3 * HOUR)),
    ...(status === 'distributed' ? { received_at: goTime(new Date(T0.getTime() + 3 * HOUR)) } : {}),
  });
