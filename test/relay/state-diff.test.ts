// The relay's rules for what a room hears, as tables: baseline (what was last emitted) + state read → events.
import { describe, expect, it } from 'vitest';
import type { DrawResult, GiveawayState, Reroll } from '../../server/relay/relay.queries.ts';
import { diffState, eventsOf, historyBaseline, type Baseline } from '../../server/relay/state-diff.ts';

const ID = '00000000-0000-4000-8000-000000000001';

const state = (o: Partial<GiveawayState> = {}): GiveawayState => ({
  id: ID,
  version: 10,
  status: 'active',
  participantsCount: 5,
  contentVersion: 1,
  rerollsCount: 0,
  winnerEventsCount: 0,
  ...o,
});

const baseline = (o: Partial<Baseline> = {}): Baseline => ({
  version: 9,
  sentVersion: 8,
  status: 'active',
  count: 5,
  contentVersion: 1,
  rerollsCount: 0,
  winnerEventsCount: 0,
  ...o,
});

const RESULT: DrawResult = {
  winners: [{ place: 1, user_id: 2, prizes: [{ title: 'Stars', description: '', quantity: 1 }] }],
  proof: { seed_commitment: 'c'.repeat(64), entrants_root: 'd'.repeat(64), entrants_count: 5 },
};
const REROLL: Reroll = { place: 1, replaced_user_id: 2, by_user_id: 3, reason: 'banned' };

/** Event names with a `!` for the volatile ones: the shape a table row can state at a glance. */
const names = (last: Baseline | undefined, s: GiveawayState, details = {}) => {
  const diff = diffState(last, s);
  return diff ? eventsOf(diff, details).events.map((e) => e.event + (e.volatile ? '!' : '')) : 'stale';
};

describe('diffState + eventsOf', () => {
  it.each([
    ['a first sight sends count and status', undefined, state(), {}, ['giveaway:count!', 'giveaway:status']],
    [
      'a count change sends one volatile count',
      baseline(),
      state({ participantsCount: 6 }),
      {},
      ['giveaway:count!'],
    ],
    [
      'a status change sends a reliable status only',
      baseline(),
      state({ status: 'pending' }),
      {},
      ['giveaway:status'],
    ],
    ['a content edit sends updated', baseline(), state({ contentVersion: 2 }), {}, ['giveaway:updated']],
    ['a change nobody watches sends nothing', baseline(), state(), {}, []],
    [
      'a state not newer than the baseline is stale',
      baseline({ version: 10 }),
      state({ participantsCount: 9 }),
      {},
      'stale',
    ],
    ['an older state is stale', baseline({ version: 11 }), state(), {}, 'stale'],
    [
      'completion with its result sends status then drawn',
      baseline(),
      state({ status: 'completed' }),
      { result: RESULT },
      ['giveaway:status', 'giveaway:drawn'],
    ],
    [
      'completion whose result is not readable yet sends status only',
      baseline(),
      state({ status: 'completed' }),
      {},
      ['giveaway:status'],
    ],
    [
      'a giveaway already completed sends no second drawn',
      baseline({ status: 'completed' }),
      state({ status: 'completed', contentVersion: 2 }),
      { result: RESULT },
      ['giveaway:updated'],
    ],
    [
      'each new reroll is one reliable event',
      baseline({ status: 'completed' }),
      state({ status: 'completed', rerollsCount: 2 }),
      { rerolls: [REROLL, { ...REROLL, place: 2 }] },
      ['giveaway:rerolled', 'giveaway:rerolled'],
    ],
    [
      'rerolls are not sent to a relay that never saw the giveaway (the snapshot has them)',
      undefined,
      state({ status: 'completed', rerollsCount: 2 }),
      { result: RESULT, rerolls: [REROLL] },
      ['giveaway:count!', 'giveaway:status', 'giveaway:drawn'],
    ],
  ] as const)('%s', (_name, last, s, details, expected) => {
    expect(names(last, s, details)).toEqual(expected);
  });

  it('asks for the draw result only on completion, and for rerolls after the ones already sent', () => {
    expect(diffState(baseline(), state({ status: 'completed' }))).toMatchObject({ drawn: true });
    expect(diffState(baseline({ status: 'completed' }), state({ status: 'completed' }))).toMatchObject({
      drawn: false,
      rerolledAfter: undefined,
    });
    expect(
      diffState(
        baseline({ status: 'completed', rerollsCount: 1 }),
        state({ status: 'completed', rerollsCount: 3 }),
      ),
    ).toMatchObject({ rerolledAfter: 1 });
    expect(diffState(undefined, state({ rerollsCount: 3 }))).toMatchObject({ rerolledAfter: undefined });
  });

  it.each([
    ['chains to the last event sent', baseline({ sentVersion: 8 }), 8],
    ['has no since when this relay sent nothing yet', baseline({ sentVersion: undefined }), undefined],
    ['has no since on first sight', undefined, undefined],
  ] as const)('since %s', (_name, last, since) => {
    const diff = diffState(last, state({ participantsCount: 7 }));
    if (!diff) throw new Error('expected a diff');
    const [event] = eventsOf(diff).events;
    expect(event?.payload).toEqual({
      giveaway_id: ID,
      version: 10,
      participants_count: 7,
      ...(since === undefined ? {} : { since }),
    });
  });

  it.each([
    ['moves to the version read when something was sent', state({ participantsCount: 6 }), 10],
    ['keeps the previous sent version when nothing was', state(), 8],
  ] as const)('the next baseline %s', (_name, s, sentVersion) => {
    const diff = diffState(baseline(), s);
    if (!diff) throw new Error('expected a diff');
    expect(eventsOf(diff).next).toEqual({
      version: 10,
      sentVersion,
      status: s.status,
      count: s.participantsCount,
      contentVersion: s.contentVersion,
      rerollsCount: s.rerollsCount,
      winnerEventsCount: s.winnerEventsCount,
    });
  });

  it('puts the draw result and reroll details into their events', () => {
    const diff = diffState(baseline({ rerollsCount: 0 }), state({ status: 'completed', rerollsCount: 1 }));
    if (!diff) throw new Error('expected a diff');
    const { events } = eventsOf(diff, { result: RESULT, rerolls: [REROLL] });
    expect(events.map((e) => e.payload)).toEqual([
      { giveaway_id: ID, version: 10, since: 8, status: 'completed' },
      { giveaway_id: ID, version: 10, since: 8, ...RESULT },
      { giveaway_id: ID, version: 10, since: 8, ...REROLL },
    ]);
  });

  it('sends the winner events after the last one sent, in order, and none to a relay that saw none', () => {
    const claimed = { event: 'giveaway:claimed', fields: { place: 2, user_id: 7 } } as const;
    const changed = {
      event: 'giveaway:winner_changed',
      fields: { place: 1, previous_user_id: 2, user_id: null, reason: 'unclaimed' },
    } as const;
    const diff = diffState(
      baseline({ status: 'completed', winnerEventsCount: 1 }),
      state({ status: 'completed', winnerEventsCount: 3 }),
    );
    if (!diff) throw new Error('expected a diff');
    expect(diff.winnerEventsAfter).toBe(1);
    const { events, next } = eventsOf(diff, { winnerEvents: [claimed, changed] });
    expect(events.map((e) => [e.event, e.volatile, e.payload])).toEqual([
      ['giveaway:claimed', false, { giveaway_id: ID, version: 10, since: 8, place: 2, user_id: 7 }],
      ['giveaway:winner_changed', false, { giveaway_id: ID, version: 10, since: 8, ...changed.fields }],
    ]);
    expect(next.winnerEventsCount).toBe(3);
    expect(diffState(undefined, state({ winnerEventsCount: 3 }))).toMatchObject({
      winnerEventsAfter: undefined,
    });
  });

  it('a finished giveaway without a baseline sends only what was made after the history horizon, and updated', () => {
    const s = state({ status: 'completed', rerollsCount: 4, winnerEventsCount: 5 });
    const diff = diffState(historyBaseline(s, { rerolls: 1, winnerEvents: 2 }), s);
    expect(diff).toMatchObject({ status: false, count: false, drawn: false, updated: true });
    expect(diff).toMatchObject({ rerolledAfter: 3, winnerEventsAfter: 3 });
    expect(names(historyBaseline(s, { rerolls: 0, winnerEvents: 0 }), s)).toEqual(['giveaway:updated']);
  });
});
