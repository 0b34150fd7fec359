// The participant count eases toward the latest value at a pace a viewer can read: at most one change per
// tick (8 a second), big jumps in a few large steps, small ones digit by digit. Pure timing, no DOM.
export const COUNT_TICK_MS = 125;

/** The next value shown on the way from `shown` to `target`: a third of the gap, at least one. */
export function nextCount(shown: number, target: number): number {
  const gap = target - shown;
  if (gap === 0) return shown;
  return shown + Math.sign(gap) * Math.max(1, Math.ceil(Math.abs(gap) / 3));
}

export class CountAnimator {
  private shown: number | null = null;
  private target = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly render: (value: number, rising: boolean) => void,
    private readonly tickMs = COUNT_TICK_MS,
  ) {}

  get value(): number | null {
    return this.shown;
  }

  /** Moves toward `target`; the first value (or `immediate`) is shown at once, without counting up from 0. */
  set(target: number, immediate = false): void {
    this.target = target;
    if (this.shown === null || immediate) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.shown = target;
      this.render(target, false);
      return;
    }
    this.timer ??= setTimeout(() => this.tick(), this.tickMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.timer = undefined;
    const from = this.shown ?? this.target;
    const next = nextCount(from, this.target);
    this.shown = next;
    this.render(next, next > from);
    if (next !== this.target) this.timer = setTimeout(() => this.tick(), this.tickMs);
  }
}
