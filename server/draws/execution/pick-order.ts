// The order in which draw protocol §4 picks entrants, one at a time. Whether a pick is then excluded or kept
// does not change what comes next (it is removed either way), so requirement checks can run ahead of the
// selection in pick order, and buildProofBundle later replays the same picks with the exclusions found.
import { FenwickTree, RandomStream, entrantUserId, nextInt, type FrozenEntrants } from '../protocol/index.ts';

export class PickOrder {
  private readonly stream: RandomStream;
  private readonly remaining: FenwickTree;

  constructor(
    private readonly entrants: FrozenEntrants,
    seed: Uint8Array,
  ) {
    this.stream = new RandomStream(seed);
    this.remaining = FenwickTree.fromWeights(entrants.weights);
  }

  /** The next pick (§4 steps 1–2 and removal), or null once nobody remains. */
  next(): bigint | null {
    if (this.remaining.total <= 0) return null;
    const index = this.remaining.findFirstAbove(nextInt(this.stream, this.remaining.total));
    this.remaining.remove(index);
    return entrantUserId(this.entrants, index);
  }
}
