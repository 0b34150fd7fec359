// Weighted selection without replacement (§4) plus rerolls: a stateful selector whose stream and remaining
// entrants survive the initial draw, so a replacement takes the first unused reserve, then keeps drawing.
import { entrantUserId, findEntrantIndex, type FrozenEntrants } from './entrants.ts';
import { DrawProtocolError } from './errors.ts';
import { FenwickTree } from './fenwick-tree.ts';
import { RandomStream, nextInt } from './random-stream.ts';
import type { UserIdInput } from './user-id.ts';

export interface SelectorOptions {
  readonly entrants: FrozenEntrants;
  /** The 32-byte draw seed from deriveSeed. */
  readonly seed: Uint8Array;
  /** Published exclusions; each must be an entrant, listed once. */
  readonly exclusions?: Iterable<UserIdInput>;
}

export interface Selection {
  readonly winners: readonly bigint[];
  readonly reserves: readonly bigint[];
  /** Excluded entrants in the order the stream picked (and skipped) them. */
  readonly excludedPicks: readonly bigint[];
}

export interface RerollOutcome {
  readonly place: number;
  readonly replacedUserId: bigint;
  readonly byUserId: bigint;
  readonly from: 'reserve' | 'stream';
}

export class DrawSelector {
  private readonly entrants: FrozenEntrants;
  private readonly stream: RandomStream;
  private readonly remaining: FenwickTree;
  private readonly excluded: Uint8Array;
  private readonly excludedPicked: bigint[] = [];
  private readonly current: bigint[] = [];
  private readonly reserveQueue: bigint[] = [];
  private drawn = false;

  constructor(options: SelectorOptions) {
    this.entrants = options.entrants;
    this.stream = new RandomStream(options.seed);
    this.remaining = FenwickTree.fromWeights(options.entrants.weights);
    this.excluded = new Uint8Array(options.entrants.count);
    for (const id of options.exclusions ?? []) {
      let index: number;
      try {
        index = findEntrantIndex(options.entrants, id);
      } catch (err) {
        throw new DrawProtocolError('INVALID_EXCLUSIONS', `exclusion: ${(err as Error).message}`);
      }
      if (index < 0) {
        throw new DrawProtocolError('INVALID_EXCLUSIONS', `excluded ${String(id)} is not an entrant`);
      }
      if (this.excluded[index]) {
        throw new DrawProtocolError('INVALID_EXCLUSIONS', `${String(id)} excluded twice`);
      }
      this.excluded[index] = 1;
    }
  }

  /** The initial draw: winners (places 1, 2, …) then reserves, stopping early when nobody remains. */
  draw(winnersCount: number, reservesCount: number): Selection {
    if (this.drawn) throw new DrawProtocolError('INVALID_STATE', 'the initial draw has already been made');
    assertCount('winners_count', winnersCount);
    assertCount('reserves_count', reservesCount);
    this.drawn = true;
    const winners: bigint[] = [];
    const reserves: bigint[] = [];
    while (winners.length < winnersCount) {
      const pick = this.nextEligible();
      if (pick === null) break;
      winners.push(pick);
    }
    while (reserves.length < reservesCount) {
      const pick = this.nextEligible();
      if (pick === null) break;
      reserves.push(pick);
    }
    this.current.push(...winners);
    this.reserveQueue.push(...reserves);
    return { winners, reserves, excludedPicks: [...this.excludedPicked] };
  }

  /**
   * Replaces the winner at `place` (1-based): the first unused reserve, else the next eligible pick on the same
   * stream. Throws NO_ENTRANTS_LEFT when neither exists, leaving the state untouched.
   */
  reroll(place: number): RerollOutcome {
    if (!this.drawn) throw new DrawProtocolError('INVALID_STATE', 'reroll before the initial draw');
    if (!Number.isInteger(place) || place < 1 || place > this.current.length) {
      throw new DrawProtocolError(
        'INVALID_ARGUMENT',
        `place must be in 1..${this.current.length}, got ${place}`,
      );
    }
    const replacedUserId = this.current[place - 1] as bigint;
    let byUserId = this.reserveQueue.shift();
    let from: RerollOutcome['from'] = 'reserve';
    if (byUserId === undefined) {
      const pick = this.nextEligible();
      if (pick === null) {
        throw new DrawProtocolError('NO_ENTRANTS_LEFT', `no entrant left to replace place ${place}`);
      }
      byUserId = pick;
      from = 'stream';
    }
    this.current[place - 1] = byUserId;
    return { place, replacedUserId, byUserId, from };
  }

  /** Current holder of each place, rerolls applied. */
  get winners(): readonly bigint[] {
    return [...this.current];
  }

  get unusedReserves(): readonly bigint[] {
    return [...this.reserveQueue];
  }

  get excludedPicks(): readonly bigint[] {
    return [...this.excludedPicked];
  }

  get remainingWeight(): number {
    return this.remaining.total;
  }

  get u64Consumed(): number {
    return this.stream.u64Consumed;
  }

  /** §4 steps 1–3 until a pick that is not excluded; null once the remaining weight is zero. */
  private nextEligible(): bigint | null {
    while (this.remaining.total > 0) {
      const r = nextInt(this.stream, this.remaining.total);
      const index = this.remaining.findFirstAbove(r);
      this.remaining.remove(index);
      const userId = entrantUserId(this.entrants, index);
      if (this.excluded[index]) {
        this.excludedPicked.push(userId);
        continue;
      }
      return userId;
    }
    return null;
  }
}

/** One-shot initial draw; use DrawSelector directly when rerolls will follow. */
export function selectWinners(
  options: SelectorOptions & { readonly winnersCount: number; readonly reservesCount: number },
): Selection {
  return new DrawSelector(options).draw(options.winnersCount, options.reservesCount);
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DrawProtocolError('INVALID_ARGUMENT', `${name} must be a non-negative integer, got ${value}`);
  }
}
