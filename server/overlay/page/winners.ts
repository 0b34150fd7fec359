// Which winner each place shows. Snapshots are the truth; a `giveaway:drawn` or `giveaway:rerolled` event runs
// ahead of the snapshot that follows it, so its winners count until a snapshot at least as new arrives.
// The page only ever shows winners the server published: nothing here picks anyone.
import type { DrawnEvent, GiveawaySnapshot, RerolledEvent } from '../../../schema/contract/realtime.ts';

export interface Prize {
  title: string;
  description: string;
  quantity: number;
}

export interface Winner {
  place: number;
  userId: number;
  /** `@username`, the display name, or null while only the id is known. */
  label: string | null;
  prizes: Prize[];
}

interface Ahead {
  userId: number;
  label: string | null;
  prizes: Prize[] | null;
  version: number;
}

const labelOf = (w: { username?: string | null; name?: string | null }): string | null =>
  w.username ? `@${w.username}` : w.name?.trim() || null;

export class WinnerTargets {
  private snapshot: GiveawaySnapshot | null = null;
  private readonly ahead = new Map<number, Ahead>();
  private commitment: string | null = null;

  /** A snapshot replaces everything older than it. */
  setSnapshot(view: GiveawaySnapshot): void {
    this.snapshot = view;
    if (view.seed_commitment) this.commitment = view.seed_commitment;
    for (const [place, a] of this.ahead) if (view.version >= a.version) this.ahead.delete(place);
  }

  drawn(event: DrawnEvent): void {
    for (const w of event.winners) {
      this.ahead.set(w.place, {
        userId: w.user_id,
        label: labelOf(w),
        prizes: w.prizes,
        version: event.version,
      });
    }
    this.commitment = event.proof.seed_commitment ?? this.commitment;
  }

  rerolled(event: RerolledEvent): void {
    this.ahead.set(event.place, {
      userId: event.by_user_id,
      label: null,
      prizes: null,
      version: event.version,
    });
  }

  get seedCommitment(): string | null {
    return this.commitment;
  }

  /** The winners to show, by place. */
  current(): Winner[] {
    const byPlace = new Map<number, Winner>();
    for (const w of this.snapshot?.winners ?? []) {
      byPlace.set(w.place, { place: w.place, userId: w.user_id, label: labelOf(w), prizes: w.prizes });
    }
    for (const [place, a] of this.ahead) {
      const known = byPlace.get(place);
      byPlace.set(place, {
        place,
        userId: a.userId,
        label: a.label ?? this.labelFor(a.userId),
        prizes: a.prizes ?? known?.prizes ?? [],
      });
    }
    return [...byPlace.values()].sort((a, b) => a.place - b.place);
  }

  /** The label the latest snapshot gives a user, wherever they placed. */
  labelFor(userId: number): string | null {
    const w = this.snapshot?.winners.find((x) => x.user_id === userId);
    return w ? labelOf(w) : null;
  }

  reset(): void {
    this.snapshot = null;
    this.ahead.clear();
    this.commitment = null;
  }
}
