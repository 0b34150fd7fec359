// Parsers for the legacy JSON records other than the giveaway itself (users, prizes, win records, winners
// lists, channel info, pre-winner lists). Each returns a typed value or the reason it cannot be used.
import type * as s from 'zapatos/schema';
import {
  asBool,
  asRecord,
  asString,
  normalizeUuid,
  parseInt64,
  parseInteger,
  parseJson,
  parseTime,
  parseUnixSeconds,
  parseUserId,
  parseUsername,
  truncate,
} from './legacy-values.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; detail?: string };

const fail = (reason: string, detail?: string): { ok: false; reason: string; detail?: string } =>
  detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };

/** JSON text → object, or the corrupt_json reason. */
export function parseObject(text: string): Parsed<Record<string, unknown>> {
  const json = parseJson(text);
  if (!json.ok) return fail('corrupt_json', json.error);
  const obj = asRecord(json.value);
  return obj ? { ok: true, value: obj } : fail('corrupt_json', 'not a JSON object');
}

export interface LegacyUser {
  id: number;
  username: string | null;
  first_name: string;
  last_name: string;
  role: s.user_role;
  status: s.user_status;
  created_at: Date | null;
}

export function parseUser(uid: string, text: string): Parsed<LegacyUser> {
  const id = parseUserId(uid);
  if (id === null) return fail('invalid_user_id', uid);
  const obj = parseObject(text);
  if (!obj.ok) return obj;
  const u = obj.value;
  return {
    ok: true,
    value: {
      id,
      username: parseUsername(u.username),
      first_name: asString(u.first_name) ?? '',
      last_name: asString(u.last_name) ?? '',
      role: u.role === 'admin' ? 'admin' : 'user',
      status: u.status === 'banned' ? 'banned' : 'active',
      created_at: parseTime(u.created_at) ?? parseTime(u.updated_at),
    },
  };
}

export const PRIZE_TYPES: readonly s.prize_type[] = [
  'telegram_stars',
  'telegram_premium',
  'telegram_gifts',
  'telegram_stickers',
  'custom',
  'internal',
];

export const PRIZE_TYPE_LABEL: Record<s.prize_type, string> = {
  telegram_stars: 'Telegram Stars',
  telegram_premium: 'Telegram Premium',
  telegram_gifts: 'Telegram Gift',
  telegram_stickers: 'Telegram Stickers',
  custom: 'Prize',
  internal: 'Prize',
};

export interface LegacyPrize {
  id: string;
  type: s.prize_type;
  name: string;
  description: string;
  is_internal: boolean;
  fields: unknown[];
  created_at: Date | null;
  updated_at: Date | null;
}

export function parsePrizeType(value: unknown): s.prize_type | null {
  return PRIZE_TYPES.includes(value as s.prize_type) ? (value as s.prize_type) : null;
}

export function parsePrize(pid: string, text: string): Parsed<LegacyPrize> {
  const id = normalizeUuid(pid);
  if (id === null) return fail('invalid_prize_id', pid);
  const obj = parseObject(text);
  if (!obj.ok) return obj;
  const p = obj.value;
  const type = parsePrizeType(p.type);
  if (type === null) return fail('invalid_prize_type', String(p.type));
  const name = (asString(p.name) ?? '').trim();
  return {
    ok: true,
    value: {
      id,
      type,
      name: truncate(name === '' ? PRIZE_TYPE_LABEL[type] : name, 100),
      description: truncate(asString(p.description) ?? '', 1000),
      is_internal: asBool(p.is_internal),
      fields: Array.isArray(p.fields) ? p.fields : [],
      created_at: parseTime(p.created_at),
      updated_at: parseTime(p.updated_at),
    },
  };
}

export interface LegacyWinRecord {
  id: string | null;
  giveawayId: string;
  userId: number;
  prizeId: string | null;
  place: number;
  status: s.win_status;
  createdAt: Date | null;
  receivedAt: Date | null;
}

const WIN_STATUSES: readonly s.win_status[] = ['pending', 'distributed', 'cancelled'];

export function parseWinRecord(text: string): Parsed<LegacyWinRecord> {
  const obj = parseObject(text);
  if (!obj.ok) return obj;
  const r = obj.value;
  const giveawayId = normalizeUuid(r.giveaway_id);
  if (giveawayId === null) return fail('invalid_giveaway_id', String(r.giveaway_id));
  const userId = parseUserId(r.user_id);
  if (userId === null) return fail('invalid_user_id', String(r.user_id));
  const place = parseInteger(r.place);
  if (place === null || place < 1) return fail('invalid_place', String(r.place));
  const status = WIN_STATUSES.includes(r.status as s.win_status) ? (r.status as s.win_status) : 'pending';
  const updatedAt = parseTime(r.updated_at);
  return {
    ok: true,
    value: {
      id: normalizeUuid(r.id),
      giveawayId,
      userId,
      prizeId: normalizeUuid(r.prize_id),
      place,
      status,
      createdAt: parseTime(r.created_at),
      // Our schema requires received_at on distributed records; the legacy code sometimes left it zero.
      receivedAt: parseTime(r.received_at) ?? (status === 'distributed' ? updatedAt : null),
    },
  };
}

export interface LegacyWinner {
  userId: number;
  place: number;
}

/** `giveaway:{gid}:winners`: entries with a bad id or place are returned as problems, the rest kept. */
export function parseWinners(text: string): Parsed<{ winners: LegacyWinner[]; problems: string[] }> {
  const json = parseJson(text);
  if (!json.ok) return fail('corrupt_json', json.error);
  if (!Array.isArray(json.value)) return fail('corrupt_json', 'not a JSON array');
  const winners: LegacyWinner[] = [];
  const problems: string[] = [];
  json.value.forEach((item: unknown, i) => {
    const w = asRecord(item);
    const userId = parseUserId(w?.user_id);
    const place = parseInteger(w?.place);
    if (!w || userId === null || place === null || place < 1) {
      problems.push(`entry ${i}: ${JSON.stringify(item)?.slice(0, 80)}`);
      return;
    }
    winners.push({ userId, place });
  });
  return { ok: true, value: { winners, problems } };
}

export interface LegacyChannelInfo {
  id: number;
  title: string | null;
  username: string | null;
  avatarUrl: string | null;
  channelUrl: string | null;
}

export function parseChannelInfo(value: unknown): LegacyChannelInfo | null {
  const c = asRecord(value);
  const id = parseInt64(c?.id);
  if (!c || id === null || id === 0) return null;
  return {
    id,
    title: asString(c.title),
    username: parseUsername(c.username),
    avatarUrl: asString(c.avatar_url) || null,
    channelUrl: asString(c.channel_url) || null,
  };
}

export interface LegacyPreWinnerList {
  userIds: number[];
  createdAt: Date | null;
  invalid: number;
}

export function parsePreWinnerList(text: string): Parsed<LegacyPreWinnerList> {
  const obj = parseObject(text);
  if (!obj.ok) return obj;
  const ids = obj.value.user_ids;
  if (!Array.isArray(ids)) return fail('corrupt_json', 'user_ids is not an array');
  const userIds: number[] = [];
  const seen = new Set<number>();
  let invalid = 0;
  for (const raw of ids) {
    const id = parseUserId(raw);
    if (id === null) invalid++;
    else if (!seen.has(id)) {
      seen.add(id);
      userIds.push(id);
    }
  }
  return { ok: true, value: { userIds, createdAt: parseUnixSeconds(obj.value.created_at), invalid } };
}
