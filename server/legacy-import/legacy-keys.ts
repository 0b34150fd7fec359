// What each key of the legacy keyspace is (reference/legacy-system.md §8, both Redis-era versions plus the
// bot's and HEAD's keys that may share the server), decided from the name alone; the Redis type is checked
// against `expectedType` separately, so a key of the right name but the wrong type is reported, not read.

export type RedisType = 'string' | 'set' | 'hash' | 'list' | 'zset' | 'stream' | 'none';

export type StatusSetName = 'active' | 'pending' | 'history' | 'processing';
export type ChannelField = 'title' | 'username' | 'url';

export type LegacyKey =
  | { kind: 'giveaway'; gid: string }
  | { kind: 'giveaway_requirements'; gid: string }
  | { kind: 'giveaway_participants'; gid: string }
  | { kind: 'giveaway_tickets'; gid: string }
  | { kind: 'giveaway_winners'; gid: string }
  | { kind: 'giveaway_counter'; gid: string }
  | { kind: 'pre_winner_list'; gid: string }
  | { kind: 'status_set'; status: StatusSetName }
  | { kind: 'prize'; pid: string }
  | { kind: 'win_record'; rid: string }
  | { kind: 'user'; uid: string }
  | { kind: 'user_channels'; uid: string }
  | { kind: 'channel_field'; cid: string; field: ChannelField }
  | { kind: 'channel_info'; cid: string }
  | { kind: 'ignored'; why: string }
  | { kind: 'unknown' };

export type LegacyKeyKind = LegacyKey['kind'];

export const EXPECTED_TYPE: Record<Exclude<LegacyKeyKind, 'ignored' | 'unknown'>, RedisType> = {
  giveaway: 'string',
  giveaway_requirements: 'string',
  giveaway_participants: 'set',
  giveaway_tickets: 'hash',
  giveaway_winners: 'string',
  giveaway_counter: 'string',
  pre_winner_list: 'string',
  status_set: 'set',
  prize: 'string',
  win_record: 'string',
  user: 'string',
  user_channels: 'set',
  channel_field: 'string',
  channel_info: 'string',
};

/** Keys we know and deliberately leave behind, with the reason the report gives. */
const IGNORED: Array<[RegExp, string]> = [
  [/^giveaway:[^:]+:lock$/, 'lock (ephemeral)'],
  [/^lock:giveaway:/, 'lock (ephemeral)'],
  [/^giveaway:[^:]+:prepared_inline_message_id$/, 'share message cache (HEAD)'],
  [/^giveaways:top$/, 'unused set'],
  [/^prize:templates$/, 'templates (the new server has its own)'],
  [/^requirement:templates$/, 'templates (the new server has its own)'],
  [/^prize:[^:]+:(distribution|assignment)$/, 'prize bookkeeping (status is on the win record)'],
  [/^channel:info:username:/, 'channel cache by username (same data as channel:info:id)'],
  [/^channel:avatar:/, 'avatar probe cache'],
  [/^channel:[^:]+:(avatar|photo|photo_small_url|photo_big_url)$/, 'avatar cache'],
  [/^channel:-?\d+:boost_users$/, 'bot boost set (re-read from Telegram)'],
  [/^boost:/, 'bot boost record'],
  [/^(ton_proof|ton_state):/, 'TON proof (feature was off)'],
  [/^tonproof:/, 'TON proof (feature was off)'],
  [/^bot:/, 'bot session / events'],
  [/^user:(id|username):/, 'user cache (HEAD)'],
  [/^(jetton:meta|export:giveaway|httpcache):/, 'cache (HEAD)'],
];

const SUBKEY = /^giveaway:([^:]+):(requirements|participants|tickets|winners)$/;
const STATUS_SET = /^giveaways:(active|pending|history|processing)$/;
const CHANNEL_FIELD = /^channel:(-?\d+):(title|username|url)$/;

/** `user:{uid}`: most keys of a legacy keyspace. No rule above the user rule can match one. */
const USER = /^user:(-?\d+)$/;

export function classifyKey(key: string): LegacyKey {
  let m: RegExpExecArray | null;
  // Fast path for the commonest shape, which would otherwise be tried against some twenty patterns first.
  if (key.startsWith('user:') && (m = USER.exec(key))) return { kind: 'user', uid: at(m, 1) };
  if ((m = /^giveaway:participants_count:(.+)$/.exec(key)))
    return { kind: 'giveaway_counter', gid: at(m, 1) };
  for (const [re, why] of IGNORED) if (re.test(key)) return { kind: 'ignored', why };
  if ((m = /^giveaway:([^:]+)$/.exec(key))) return { kind: 'giveaway', gid: at(m, 1) };
  if ((m = SUBKEY.exec(key))) {
    const gid = at(m, 1);
    switch (m[2]) {
      case 'requirements':
        return { kind: 'giveaway_requirements', gid };
      case 'participants':
        return { kind: 'giveaway_participants', gid };
      case 'tickets':
        return { kind: 'giveaway_tickets', gid };
      default:
        return { kind: 'giveaway_winners', gid };
    }
  }
  if ((m = /^pre_winner_list:(.+)$/.exec(key))) return { kind: 'pre_winner_list', gid: at(m, 1) };
  if ((m = STATUS_SET.exec(key))) return { kind: 'status_set', status: at(m, 1) as StatusSetName };
  if ((m = /^prize:([^:]+)$/.exec(key))) return { kind: 'prize', pid: at(m, 1) };
  // The expiration path wrote `win_record:` with an empty id: still a record, its JSON names the giveaway.
  if ((m = /^win_record:(.*)$/.exec(key))) return { kind: 'win_record', rid: at(m, 1) };
  if ((m = /^user:(-?\d+):channels$/.exec(key))) return { kind: 'user_channels', uid: at(m, 1) };
  if ((m = CHANNEL_FIELD.exec(key)))
    return { kind: 'channel_field', cid: at(m, 1), field: at(m, 2) as ChannelField };
  if ((m = /^channel:info:id:(-?\d+)$/.exec(key))) return { kind: 'channel_info', cid: at(m, 1) };
  return { kind: 'unknown' };
}

function at(m: RegExpExecArray, i: number): string {
  return m[i] ?? '';
}
