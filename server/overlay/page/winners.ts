// Which winner each place shows. Snapshots are the truth; a `giveaway:drawn`, `giveaway:rerolled`,
// `giveaway:winner_changed` or `giveaway:claimed` event runs ahead of the snapshot that follows it, so what it
// says counts until a snapshot at least as new arrives. A place left empty at its claim deadline shows as such.
// The page only ever shows winners the server published: nothing here picks anyone.
import type {
  ClaimedEvent,
  DrawnEvent,
  GiveawaySnapshot,
  RerolledEvent,
  WinnerChangedEvent,
} from '../../../schema/contract/realtime.ts';

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
  /** The winner claimed the place (giveaways with a claim window). */
  claimed: boolean;
}

interface Ahead {
  /** null: the place was left empty (nobody claimed it and no reserve was left). */
  userId: number | null;
  label: string | null;
  prizes: Prize[] | null;
  version: number;
}

const labelOf = (w: { username?: string | null; name?: string | null }): string | null =>
  w.username ? `@${w.username}` : w.name?.trim() || null;

export class WinnerTargets {
  private snapshot: GiveawaySnapshot | null = null;
  private readonly ahead = new Map<number, Ahead>();
  /** Claims heard before a snapshot shows them: place → (user, version). */
  private readonly claims = new Map<number, { userId: number; version: number }>();
  private commitment: string | null = null;

  /** A snapshot replaces everything older than it. */
  setSnapshot(view: GiveawaySnapshot): void {
    this.snapshot = view;
    if (view.seed_commitment) this.commitment = view.seed_commitment;
    for (const [place, a] of this.ahead) if (view.version >= a.version) this.ahead.delete(place);
    for (const [place, c] of this.claims) if (view.version >= c.version) this.claims.delete(place);
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

  /** A place changed hands (any reroll, or the claim deadline); `user_id` null leaves it empty. */
  winnerChanged(event: WinnerChangedEvent): void {
    this.ahead.set(event.place, {
      userId: event.user_id,
      label: null,
      prizes: null,
      version: event.version,
    });
  }

  claimed(event: ClaimedEvent): void {
    this.claims.set(event.place, { userId: event.user_id, version: event.version });
  }

  get seedCommitment(): string | null {
    return this.commitment;
  }

  /** The winners to show, by place. */
  current(): Winner[] {
    const byPlace = new Map<number, Winner>();
    for (const w of this.snapshot?.winners ?? []) {
      byPlace.set(w.place, {
        place: w.place,
        userId: w.user_id,
        label: labelOf(w),
        prizes: w.prizes,
        claimed: Boolean(w.claimed_at),
      });
    }
    for (const [place, a] of this.ahead) {
      const known = byPlace.get(place);
      if (a.userId === null) {
        byPlace.delete(place);
        continue;
      }
      byPlace.set(place, {
        place,
        userId: a.userId,
        label: a.label ?? this.labelFor(a.userId),
        prizes: a.prizes ?? known?.prizes ?? [],
        claimed: false,
      });
    }
    for (const [place, c] of this.claims) {
      const w = byPlace.get(place);
      if (w?.userId === c.userId) w.claimed = true;
    }
    return [...byPlace.values()].sort((a, b) => a.place - b.place);
  }

  /** Places nobody holds: their holder did not claim in time and no reserve was left. */
  vacant(): number[] {
    const places = new Set((this.snapshot?.vacant_places ?? []).map((v) => v.place));
    for (const [place, a] of this.ahead) {
      if (a.userId === null) places.add(place);
      else places.delete(place);
    }
    return [...places].sort((a, b) => a - b);
  }

  /** The label the latest snapshot gives a user, wherever they placed. */
  labelFor(userId: number): string | null {
    const w = this.snapshot?.winners.find((x) => x.user_id === userId);
    return w ? labelOf(w) : null;
  }

  reset(): void {
    this.snapshot = null;
    this.ahead.clear();
    this.claims.clear();
    this.commitment = null;
  }
}
