// Weighted selection without replacement with published exclusions (§4), and rerolls: the first unused
// reserve takes the place, else selection continues on the same stream.
import { joinUserId } from './bytes.ts';
import type { EntrantColumns } from './entrants.ts';
import { WeightTree } from './fenwick.ts';
import type { DrawStream } from './stream.ts';

export class Selector {
  private readonly remaining: WeightTree;
  /** Canonical ids (decimal strings) of excluded picks, in the order the stream reached them. */
  readonly excludedPicks: string[] = [];
  readonly winners: string[] = [];
  readonly reserves: string[] = [];
  private reserveQueue: string[] = [];

  constructor(
    private readonly entrants: EntrantColumns,
    private readonly stream: DrawStream,
    private readonly excluded: ReadonlySet<string>,
  ) {
    this.remaining = new WeightTree(entrants.weights);
  }

  draw(winnersCount: number, reservesCount: number): void {
    for (let pick; this.winners.length < winnersCount && (pick = this.next()) !== null;)
      this.winners.push(pick);
    for (let pick; this.reserves.length < reservesCount && (pick = this.next()) !== null;) {
      this.reserves.push(pick);
    }
    this.reserveQueue = [...this.reserves];
  }

  /** Who replaces the winner at `place` (1-based), recorded as the new holder; null when nobody is left. */
  reroll(place: number): string | null {
    const by = this.reserveQueue.shift() ?? this.next();
    if (by !== null) this.winners[place - 1] = by;
    return by;
  }

  /** §4 steps 1–3 until a pick that is not excluded; null once no weight remains. */
  private next(): string | null {
    while (this.remaining.total > 0) {
      const index = this.remaining.find(this.stream.nextInt(this.remaining.total));
      this.remaining.remove(index);
      const id = joinUserId(this.entrants.hi[index] as number, this.entrants.lo[index] as number);
      if (!this.excluded.has(id)) return id;
      this.excludedPicks.push(id);
    }
    return null;
  }
}
