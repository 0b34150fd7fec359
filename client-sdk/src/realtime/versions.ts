// Event ordering by giveaway version (docs/realtime.md, "Keeping state right"). One relay tick may send several
// events with the same version (count, status, drawn), so an event at the held version applies once per kind.
// A gap is `since` above the held version (the event before this one never arrived), or, without `since`
// (after a relay takeover), a jump of more than one. `watchers` is presence: ordered by its own version only.
import type { GiveawaySnapshot } from '../contract.ts';
import type { EventKind } from './connection.ts';

/** The held version, the event kinds already applied at it ('all' right after a snapshot), the last watchers. */
export interface VersionClock {
  version: number;
  seen: 'all' | Set<EventKind>;
  watchersVersion: number;
}

export interface Applied {
  dropped: boolean;
  /** An event was missed before this one: apply it, then fetch a snapshot. */
  gap: boolean;
  view: GiveawaySnapshot;
}

type Payload = { version: number; since?: number } & Record<string, unknown>;

export function applyEvent(
  view: GiveawaySnapshot,
  clock: VersionClock,
  kind: EventKind,
  payload: Payload,
): Applied {
  const v = payload.version;
  if (!Number.isSafeInteger(v)) return { dropped: true, gap: false, view };
  if (kind === 'watchers') {
    if (v < clock.watchersVersion) return { dropped: true, gap: false, view };
    clock.watchersVersion = v;
    return { dropped: false, gap: false, view };
  }
  if (v < clock.version) return { dropped: true, gap: false, view };
  if (v === clock.version) {
    if (clock.seen === 'all' || clock.seen.has(kind)) return { dropped: true, gap: false, view };
    clock.seen.add(kind);
  } else {
    clock.seen = new Set([kind]);
  }
  const gap = typeof payload.since === 'number' ? clock.version < payload.since : v > clock.version + 1;
  clock.version = v;
  const next = { ...view, version: v };
  if (kind === 'count') next.participants_count = payload.participants_count as number;
  if (kind === 'status') next.status = payload.status as GiveawaySnapshot['status'];
  return { dropped: false, gap, view: next };
}

/** Kinds that tell something happened (not only a state): their handlers must hear each one. */
const OCCURRENCES = new Set<EventKind>(['drawn', 'rerolled', 'winner_changed', 'claimed']);
const REMEMBERED = 256;

/**
 * Which occurrences a watch has announced. A snapshot refresh (after `updated`, say) can overtake the event of
 * a change it already includes: the state then drops the event as old, yet the handler must still hear it. So an
 * occurrence dropped by the state is announced anyway when it happened after the watch began and was not
 * announced before (a repeat after a relay failover is not).
 */
export class OccurrenceLog {
  private readonly seen = new Set<string>();

  /** `since`: the version of the watch's first snapshot; what happened at or before it is history. */
  constructor(private readonly since: () => number | undefined) {}

  /** Records an occurrence the state applied. */
  applied(kind: EventKind, payload: Payload): void {
    if (OCCURRENCES.has(kind)) this.remember(keyOf(kind, payload));
  }

  /** Whether a dropped event is an occurrence the handler has not heard yet (recording it if so). */
  announceDropped(kind: EventKind, payload: Payload): boolean {
    const since = this.since();
    if (!OCCURRENCES.has(kind) || since === undefined || !(payload.version > since)) return false;
    const key = keyOf(kind, payload);
    if (this.seen.has(key)) return false;
    this.remember(key);
    return true;
  }

  private remember(key: string): void {
    this.seen.add(key);
    if (this.seen.size > REMEMBERED) this.seen.delete(this.seen.values().next().value as string);
  }
}

const keyOf = (kind: EventKind, p: Payload): string => JSON.stringify([kind, p.version, p.place, p.user_id]);
