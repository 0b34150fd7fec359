// What the relay tells a room when a giveaway's state moves: a pure function of what it last emitted (the
// baseline) and the state it just read. No I/O here, so every rule is one row of a table test.
import type { ServerToClientEvents } from '../../schema/contract/realtime.ts';
import type { DrawResult, GiveawayState, Reroll, WinnerEvent } from './relay.queries.ts';

/** What this relay last emitted for one giveaway: the baseline for "what changed". */
export interface Baseline {
  /** The newest version read; states at or below it are ignored. */
  version: number;
  /** The version of the last event sent into the room: the next event's `since`. */
  sentVersion: number | undefined;
  status: GiveawayState['status'];
  count: number;
  contentVersion: number;
  rerollsCount: number;
  winnerEventsCount: number;
}

/** The first half of a diff: what changed, and so which details (draw result, rerolls) must be read. */
export interface StateDiff {
  state: GiveawayState;
  last: Baseline | undefined;
  count: boolean;
  status: boolean;
  updated: boolean;
  /** Newly completed: the draw result is read and sent. */
  drawn: boolean;
  /** Rerolls after this many are read and sent; only rerolls this relay saw happen (a client that
   *  (re)subscribes gets earlier ones in its snapshot). */
  rerolledAfter: number | undefined;
  /** Winner events (claims, changes of holder) after this many are read and sent; as for rerolls. */
  winnerEventsAfter: number | undefined;
}

export interface DiffDetails {
  result?: DrawResult;
  rerolls?: readonly Reroll[];
  winnerEvents?: readonly WinnerEvent[];
}

type EventName = keyof ServerToClientEvents;

/** One event for the giveaway's room, with whether it may be dropped under back-pressure. */
export type RoomEvent = {
  [E in EventName]: { event: E; volatile: boolean; payload: Parameters<ServerToClientEvents[E]>[0] };
}[EventName];

/**
 * A stand-in baseline for a finished giveaway the relay holds none for (a resync let it go as old, or this relay
 * took over long after it finished). Its status and result were announced back then, so they are not sent
 * again; the rerolls and winner events made since the resync's history horizon (`recent`) are the new ones.
 * Whether shown content changed is unknown, so the next diff says `updated` (a refresh, never a miss).
 */
export function historyBaseline(
  state: GiveawayState,
  recent: { rerolls: number; winnerEvents: number },
): Baseline {
  return {
    version: 0,
    sentVersion: undefined,
    status: state.status,
    count: state.participantsCount,
    contentVersion: -1,
    rerollsCount: Math.max(0, state.rerollsCount - recent.rerolls),
    winnerEventsCount: Math.max(0, state.winnerEventsCount - recent.winnerEvents),
  };
}

/** Returns undefined for a state not newer than the baseline (a late or repeated read). */
export function diffState(last: Baseline | undefined, state: GiveawayState): StateDiff | undefined {
  if (last && state.version <= last.version) return undefined;
  return {
    state,
    last,
    status: !last || last.status !== state.status,
    count: !last || last.count !== state.participantsCount,
    updated: last !== undefined && last.contentVersion !== state.contentVersion,
    drawn: state.status === 'completed' && last?.status !== 'completed',
    rerolledAfter:
      last !== undefined && state.rerollsCount > last.rerollsCount ? last.rerollsCount : undefined,
    winnerEventsAfter:
      last !== undefined && state.winnerEventsCount > last.winnerEventsCount
        ? last.winnerEventsCount
        : undefined,
  };
}

/** The events of a diff, in the order clients expect them, and the baseline after sending them. */
export function eventsOf(
  diff: StateDiff,
  details: DiffDetails = {},
): { events: RoomEvent[]; next: Baseline } {
  const { state, last } = diff;
  // `since` lets a client tell coalescing (versions skipped on purpose) from a missed event: it is the version
  // of the previous event sent into this room, absent when this relay has sent none yet.
  const since = last?.sentVersion;
  const base = { giveaway_id: state.id, version: state.version, ...(since !== undefined ? { since } : {}) };
  const events: RoomEvent[] = [];
  // Counts are volatile: the next tick supersedes a dropped one. Everything else is not.
  if (diff.count)
    events.push({
      event: 'giveaway:count',
      volatile: true,
      payload: { ...base, participants_count: state.participantsCount },
    });
  if (diff.status)
    events.push({ event: 'giveaway:status', volatile: false, payload: { ...base, status: state.status } });
  if (diff.updated) events.push({ event: 'giveaway:updated', volatile: false, payload: base });
  if (diff.drawn && details.result)
    events.push({ event: 'giveaway:drawn', volatile: false, payload: { ...base, ...details.result } });
  if (diff.rerolledAfter !== undefined)
    for (const reroll of details.rerolls ?? [])
      events.push({ event: 'giveaway:rerolled', volatile: false, payload: { ...base, ...reroll } });
  if (diff.winnerEventsAfter !== undefined)
    for (const e of details.winnerEvents ?? [])
      events.push(
        e.event === 'giveaway:claimed'
          ? { event: e.event, volatile: false, payload: { ...base, ...e.fields } }
          : { event: e.event, volatile: false, payload: { ...base, ...e.fields } },
      );
  return {
    events,
    next: {
      version: state.version,
      sentVersion: events.length > 0 ? state.version : last?.sentVersion,
      status: state.status,
      count: state.participantsCount,
      contentVersion: state.contentVersion,
      rerollsCount: state.rerollsCount,
      winnerEventsCount: state.winnerEventsCount,
    },
  };
}
