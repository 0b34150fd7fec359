// Key names → kinds, and the scalar parsers, for shapes the fixture keyspace does not need to hold.
import { describe, expect, it } from 'vitest';
import { classifyKey } from '../../server/legacy-import/legacy-keys.ts';
import {
  parseInt64,
  parseTime,
  parseUserId,
  parseUsername,
} from '../../server/legacy-import/legacy-values.ts';

describe('classifyKey', () => {
  it('tells the giveaway key shapes apart by suffix, the join counter included', () => {
    expect(classifyKey('giveaway:abc')).toEqual({ kind: 'giveaway', gid: 'abc' });
    expect(classifyKey('giveaway:abc:participants')).toEqual({ kind: 'giveaway_participants', gid: 'abc' });
    expect(classifyKey('giveaway:participants_count:abc')).toEqual({ kind: 'giveaway_counter', gid: 'abc' });
    expect(classifyKey('giveaway:abc:lock').kind).toBe('ignored');
    expect(classifyKey('giveaway:abc:prepared_inline_message_id').kind).toBe('ignored');
  });

  it('knows the empty-id win record, user channel sets, channel keys, and HEAD or bot keys to leave', () => {
    expect(classifyKey('win_record:')).toEqual({ kind: 'win_record', rid: '' });
    expect(classifyKey('user:42:channels')).toEqual({ kind: 'user_channels', uid: '42' });
    expect(classifyKey('channel:-1001:url')).toEqual({ kind: 'channel_field', cid: '-1001', field: 'url' });
    expect(classifyKey('channel:info:id:-1001')).toEqual({ kind: 'channel_info', cid: '-1001' });
    for (const key of ['user:id:42', 'channel:-1001:photo', 'channel:name:avatar', 'boost:9', 'bot:events']) {
      expect(classifyKey(key).kind).toBe('ignored');
    }
    expect(classifyKey('something:else').kind).toBe('unknown');
  });

  it('files user records by the fast path and leaves HEAD’s user caches ignored', () => {
    expect(classifyKey('user:42')).toEqual({ kind: 'user', uid: '42' });
    expect(classifyKey('user:-7')).toEqual({ kind: 'user', uid: '-7' });
    expect(classifyKey('user:username:bob').kind).toBe('ignored');
    expect(classifyKey('user:42x').kind).toBe('unknown');
    expect(classifyKey('user:').kind).toBe('unknown');
  });
});

describe('legacy values', () => {
  it("reads Go's RFC3339Nano times and treats the zero time as none", () => {
    expect(parseTime('2025-06-10T12:00:00.123456789+03:00')?.toISOString()).toBe('2025-06-10T09:00:00.123Z');
    expect(parseTime('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseTime('yesterday')).toBeNull();
  });

  it('reads int64 ids from numbers and decimal strings, refusing anything rounded or malformed', () => {
    expect(parseInt64('-1001234567890')).toBe(-1001234567890);
    expect(parseUserId(' 42')).toBe(42);
    expect(parseUserId('0')).toBeNull();
    expect(parseUserId('9223372036854775807')).toBeNull();
    expect(parseUserId('1e3')).toBeNull();
    expect(parseUsername('@Good_name')).toBe('Good_name');
    expect(parseUsername('bad name')).toBeNull();
  });
});
