// Who gets which prize, the legacy rule exactly (reference/legacy-system.md §5.3): a prize fixed to a place
// gives one unit to that place's winner and its remaining units join the loose pool; loose units are spread
// over all winners from a running offset. Pure, so the draw, the manual flow and previews agree.

export interface DistributablePrize {
  readonly id: number;
  readonly position: number;
  /** null = loose (spread over all winners). */
  readonly place: number | null;
  readonly title: string;
  readonly description: string;
  readonly quantity: number;
}

export interface Award<P extends DistributablePrize = DistributablePrize> {
  readonly prize: P;
  readonly quantity: number;
}

/**
 * For `winnersCount` winners (places 1..n), returns each winner's awards, one entry per prize with its total
 * quantity, in prize position order. The pool order follows the legacy code: loose prizes by position, then
 * the remainders of fixed prizes by position. A fixed prize whose place has no winner (fewer winners than
 * places) is not awarded at all, as in the legacy code, rather than silently given to someone else.
 */
export function distributePrizes<P extends DistributablePrize>(
  prizes: readonly P[],
  winnersCount: number,
): Award<P>[][] {
  const n = winnersCount;
  if (n <= 0) return [];
  const byWinner: Map<P, number>[] = Array.from({ length: n }, () => new Map<P, number>());
  const give = (winner: number, prize: P, quantity: number): void => {
    const held = byWinner[winner];
    if (held) held.set(prize, (held.get(prize) ?? 0) + quantity);
  };

  const sorted = [...prizes].sort((a, b) => a.position - b.position);
  const pool: Array<{ prize: P; quantity: number }> = [];
  const remainders: Array<{ prize: P; quantity: number }> = [];
  for (const prize of sorted) {
    if (prize.place === null) {
      pool.push({ prize, quantity: prize.quantity });
    } else if (prize.place >= 1 && prize.place <= n) {
      give(prize.place - 1, prize, 1);
      if (prize.quantity > 1) remainders.push({ prize, quantity: prize.quantity - 1 });
    }
  }
  pool.push(...remainders);

  let offset = 0;
  for (const { prize, quantity } of pool) {
    const base = Math.floor(quantity / n);
    const rem = quantity % n;
    // With fewer units than winners only the first `rem` winners from the offset get one each.
    const count = base === 0 ? rem : n;
    for (let i = 0; i < count; i++) {
      const amount = base + (i < rem ? 1 : 0);
      if (amount > 0) give((offset + i) % n, prize, amount);
    }
    offset += quantity;
  }

  return byWinner.map((held) =>
    [...held.entries()]
      .sort(([a], [b]) => a.position - b.position)
      .map(([prize, quantity]) => ({ prize, quantity })),
  );
}
