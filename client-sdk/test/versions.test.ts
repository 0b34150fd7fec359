// The SDK's event-ordering rules on their own: stale and repeated events drop, one event per kind applies at a
// version, `since` decides gaps (a jump decides them without it), and watchers order only among themselves.
import { describe, expect, it } from 'vitest';
import type { GiveawaySnapshot } from '../src/index.ts';
import { applyEvent, OccurrenceLog, type VersionClock } from '../src/realtime/versions.ts';

const view = { id: 'g', version: 10, participants_count: 1, status: 'active' } as GiveawaySnapshot;
const clockAt = (version: number): VersionClock => ({ version, seen: 'all', watchersVersion: 0 });

describe('applyEvent', () => {
  it('drops what the snapshot already holds and anything older', () => {
    const clock = clockAt(10);
    expect(applyEvent(view, clock, 'count', { version: 10, participants_count: 9 }).dropped).toBe(true);
    expect(applyEvent(view, clock, 'status', { version: 9, status: 'completed' }).dropped).toBe(true);
  });

  it('applies each kind once at a version: a tick sends count, status and drawn with one version', () => {
    const clock = clockAt(10);
    const count = applyEvent(view, clock, 'count', { version: 11, since: 10, participants_count: 5 });
    expect(count).toMatchObject({ dropped: false, gap: false, view: { participants_count: 5, version: 11 } });
    const status = applyEvent(count.view, clock, 'status', { version: 11, since: 10, status: 'completed' });
    expect(status).toMatchObject({
      dropped: false,
      gap: false,
      view: { status: 'completed', participants_count: 5 },
    });
    expect(applyEvent(status.view, clock, 'drawn', { version: 11, since: 10 }).dropped).toBe(false);
    expect(
      applyEvent(status.view, clock, 'count', { version: 11, since: 10, participants_count: 6 }).dropped,
    ).toBe(true);
  });

  it('sees a gap when `since` is above the held version, and treats coalesced jumps with `since` as normal', () => {
    expect(
      applyEvent(view, clockAt(10), 'count', { version: 14, since: 10, participants_count: 2 }).gap,
    ).toBe(false);
    expect(
      applyEvent(view, clockAt(10), 'count', { version: 14, since: 12, participants_count: 2 }).gap,
    ).toBe(true);
    // Without `since` (after a relay takeover) a jump is a gap.
    expect(applyEvent(view, clockAt(10), 'count', { version: 12, participants_count: 2 }).gap).toBe(true);
    expect(applyEvent(view, clockAt(10), 'count', { version: 11, participants_count: 2 }).gap).toBe(false);
  });

  it('orders watchers by their own version and never moves the state version with them', () => {
    const clock = clockAt(10);
    expect(applyEvent(view, clock, 'watchers', { version: 30, watchers: 4 })).toMatchObject({
      dropped: false,
      gap: false,
    });
    expect(applyEvent(view, clock, 'watchers', { version: 29, watchers: 3 }).dropped).toBe(true);
    expect(clock.version).toBe(10);
  });
});

describe('OccurrenceLog', () => {
  // Regression: a snapshot refresh (after `updated`) overtook winner_changed, the state dropped the event as
  // already held, and the winnerChanged handler never heard of the change (CI, client-sdk/test/claims.test.ts).
  it('announces an occurrence the state dropped because a refresh overtook it, once', () => {
    const log = new OccurrenceLog(() => 10);
    const changed = { version: 12, place: 2, user_id: 7, previous_user_id: 5 };
    expect(log.announceDropped('winner_changed', changed)).toBe(true);
    expect(log.announceDropped('winner_changed', changed)).toBe(false);
    expect(log.announceDropped('claimed', { version: 12, place: 2, user_id: 7 })).toBe(true);
  });

  it('keeps history and state kinds quiet: before the watch began, already applied, counts and statuses', () => {
    const log = new OccurrenceLog(() => 10);
    expect(log.announceDropped('drawn', { version: 10 })).toBe(false);
    log.applied('rerolled', { version: 11, place: 1, user_id: 3 });
    expect(log.announceDropped('rerolled', { version: 11, place: 1, user_id: 3 })).toBe(false);
    expect(log.announceDropped('count', { version: 12, participants_count: 4 })).toBe(false);
    expect(new OccurrenceLog(() => undefined).announceDropped('drawn', { version: 12 })).toBe(false);
  });
});
