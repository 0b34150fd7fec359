// The overlay page's pure parts, run in Node: query parsing (whatever a streamer types), the count's pace,
// countdown text, the config's escaping, and which winner each place shows when events run ahead of snapshots.
import { describe, expect, it } from 'vitest';
import { nextCount } from '../../server/overlay/page/count-animator.ts';
import { formatRemaining } from '../../server/overlay/page/countdown.ts';
import { parseAccent, parseConfig, parseOptions } from '../../server/overlay/page/options.ts';
import { WinnerTargets } from '../../server/overlay/page/winners.ts';
import { scriptJson } from '../../server/overlay/page-html.ts';
import type { GiveawaySnapshot } from '../../schema/contract/realtime.ts';

describe('overlay options', () => {
  it('falls back to defaults for anything unknown and clamps numbers', () => {
    const o = parseOptions(
      new URLSearchParams('layout=huge&theme=pink&scale=99&hide=qr,%20Prizes,nope&lang=de'),
    );
    expect(o).toMatchObject({
      layout: 'card',
      position: 'br',
      theme: 'dark',
      scale: 3,
      lang: 'en',
      demo: false,
    });
    expect([...o.hide].sort()).toEqual(['prizes', 'qr']);
    expect(parseOptions(new URLSearchParams('layout=bar&demo')).position).toBe('bottom');
    expect(parseOptions(new URLSearchParams('demo=0')).demo).toBe(false);
    expect(parseOptions(new URLSearchParams('scale=abc')).scale).toBe(1);
  });

  it('accepts only hex accents, so nothing else reaches CSS', () => {
    expect(parseAccent('FF3366')).toBe('#ff3366');
    expect(parseAccent('#f36')).toBe('#ff3366');
    expect(parseAccent('red;background:url(x)')).toBeNull();
    expect(parseAccent(null)).toBeNull();
  });

  it('reads a broken injected config as an empty one', () => {
    expect(parseConfig('{nope').giveawayId).toBeNull();
    expect(parseConfig('{"giveawayId":"g","demo":true}')).toMatchObject({ giveawayId: 'g', demo: true });
  });

  it('escapes the injected config so a title cannot close the script tag', () => {
    const json = scriptJson({ title: '</script><script>alert(1)</script>\u2028' });
    expect(json).not.toMatch(/[<>\u2028]/);
    expect(JSON.parse(json)).toEqual({ title: '</script><script>alert(1)</script>\u2028' });
  });
});

describe('count and countdown', () => {
  it('moves the count a third of the way per tick, at least one, in either direction', () => {
    const steps = [0];
    while (steps[steps.length - 1] !== 100) steps.push(nextCount(steps[steps.length - 1] ?? 0, 100));
    expect(steps).toEqual([0, 34, 56, 71, 81, 88, 92, 95, 97, 98, 99, 100]);
    expect(nextCount(10, 8)).toBe(9);
  });

  it('formats the time left, rounding up so zero shows only at the deadline', () => {
    expect(formatRemaining(4_001)).toBe('0:05');
    expect(formatRemaining(0)).toBe('0:00');
    expect(formatRemaining(-5)).toBe('0:00');
    expect(formatRemaining(3_600_000)).toBe('1:00:00');
    expect(formatRemaining(90_061_000)).toBe('1d 01:01:01');
  });
});

describe('winner targets', () => {
  const snapshot = (version: number, winners: GiveawaySnapshot['winners']) =>
    ({ version, winners, seed_commitment: 'c'.repeat(64) }) as GiveawaySnapshot;
  const winner = (place: number, user_id: number, username: string) => ({
    place,
    user_id,
    username,
    name: username,
    avatar_url: '',
    prizes: [{ title: 'Stars', description: '', quantity: 1 }],
    claim_deadline: null,
    claimed_at: null,
    claim_extended_at: null,
  });

  it('shows a draw event at once and lets the next snapshot take over', () => {
    const t = new WinnerTargets();
    t.setSnapshot(snapshot(5, []));
    t.drawn({
      giveaway_id: 'g',
      version: 7,
      winners: [{ place: 1, user_id: 10, prizes: [] }],
      proof: { seed_commitment: 'd'.repeat(64), entrants_root: null, entrants_count: 3 },
    });
    expect(t.current()).toEqual([{ place: 1, userId: 10, label: null, prizes: [], claimed: false }]);
    expect(t.seedCommitment).toBe('d'.repeat(64));
    t.setSnapshot(snapshot(6, [])); // an older snapshot does not undo the draw
    expect(t.current().map((w) => w.userId)).toEqual([10]);
    t.setSnapshot(snapshot(7, [winner(1, 10, 'ann')]));
    expect(t.current()).toMatchObject([{ place: 1, userId: 10, label: '@ann' }]);
  });

  it('passes an unclaimed place on, leaves one empty, and marks claims ahead of the snapshot', () => {
    const t = new WinnerTargets();
    t.setSnapshot(snapshot(9, [winner(1, 10, 'ann'), winner(2, 20, 'bob'), winner(3, 40, 'dee')]));
    t.claimed({ giveaway_id: 'g', version: 10, place: 3, user_id: 40 });
    t.winnerChanged({
      giveaway_id: 'g',
      version: 11,
      place: 1,
      previous_user_id: 10,
      user_id: 30,
      reason: 'unclaimed',
    });
    t.winnerChanged({
      giveaway_id: 'g',
      version: 12,
      place: 2,
      previous_user_id: 20,
      user_id: null,
      reason: 'unclaimed',
    });
    expect(t.current().map((w) => [w.place, w.userId, w.claimed])).toEqual([
      [1, 30, false],
      [3, 40, true],
    ]);
    expect(t.vacant()).toEqual([2]);
    // The snapshot that follows says the same: the empty place is listed apart, the claim on the winner.
    const next = snapshot(12, [winner(1, 30, 'cy'), { ...winner(3, 40, 'dee'), claimed_at: 'x' }]);
    next.vacant_places = [{ place: 2, previous_user_id: 20, reason: 'unclaimed', vacated_at: 'x' }];
    t.setSnapshot(next);
    expect(t.current().map((w) => [w.place, w.label, w.claimed])).toEqual([
      [1, '@cy', false],
      [3, '@dee', true],
    ]);
    expect(t.vacant()).toEqual([2]);
  });

  it('gives a rerolled place to the new winner before the snapshot names them', () => {
    const t = new WinnerTargets();
    t.setSnapshot(snapshot(9, [winner(1, 10, 'ann'), winner(2, 20, 'bob')]));
    t.rerolled({
      giveaway_id: 'g',
      version: 10,
      place: 2,
      replaced_user_id: 20,
      by_user_id: 30,
      reason: 'x',
    });
    expect(t.current().map((w) => [w.place, w.userId, w.label])).toEqual([
      [1, 10, '@ann'],
      [2, 30, null],
    ]);
    t.setSnapshot(snapshot(11, [winner(1, 10, 'ann'), winner(2, 30, 'cy')]));
    expect(t.current().map((w) => w.label)).toEqual(['@ann', '@cy']);
  });
});
