// Deadlines of many items on one timer. A `setTimeout` per item (with its closure) cost a few hundred bytes
// on every open session; here an item is one entry in the Set of its slot. Slots are `slotMs` wide (1 s by
// default) and an item runs at the end of its slot, so never before its deadline and at most one slot after
// it: deadlines on whole slots (init-data expiries are whole seconds) run on time. While anything is pending
// one timer runs once per slot; with nothing pending there is no timer.
//
// `kind` tells an item's deadlines apart (e.g. a warning and an expiry): within a slot, lower kinds run first.

export class DeadlineWheel<T> {
  private readonly slots = new Map<number, Array<Set<T> | undefined>>();
  /** The first slot not run yet, while the timer runs. */
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerSlot = Infinity;

  constructor(
    private readonly due: (item: T, kind: number) => void,
    private readonly slotMs = 1_000,
  ) {}

  /** Runs `due(item, kind)` once `at` (epoch ms) has passed; a deadline already reached runs on the next tick. */
  add(item: T, kind: number, at: number): void {
    // A deadline already reached goes into the current slot, which is due at once.
    const slot = at <= Date.now() ? this.currentSlot() : this.slotOf(at);
    // Every pending slot is at or after the cursor (with no timer nothing is pending).
    if (!this.timer || slot < this.cursor) this.cursor = slot;
    let sets = this.slots.get(slot);
    if (!sets) {
      sets = [];
      this.slots.set(slot, sets);
    }
    (sets[kind] ??= new Set()).add(item);
    this.arm(slot);
  }

  /** Cancels what `add(item, kind, at)` scheduled, if it has not run. */
  delete(item: T, kind: number, at: number): void {
    if (this.slots.size === 0 || this.deleteFrom(this.slotOf(at), item, kind)) return;
    // Added when already reached: it sits in a slot that was current then and has not run, so between the
    // cursor and now.
    for (let slot = this.cursor, now = this.currentSlot(); slot <= now; slot++) {
      if (this.deleteFrom(slot, item, kind)) return;
    }
  }

  /** Drops everything pending and the timer. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerSlot = Infinity;
    this.slots.clear();
  }

  /** Items pending (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const sets of this.slots.values()) for (const set of sets) n += set?.size ?? 0;
    return n;
  }

  private deleteFrom(slot: number, item: T, kind: number): boolean {
    const sets = this.slots.get(slot);
    if (!sets?.[kind]?.delete(item)) return false;
    if (sets.every((set) => !set || set.size === 0)) this.slots.delete(slot);
    return true;
  }

  /** Slot s holds the deadlines in ((s − 1)·slotMs, s·slotMs] and runs once the wall clock reaches s·slotMs. */
  private slotOf(at: number): number {
    return Math.ceil(at / this.slotMs);
  }

  private currentSlot(): number {
    return Math.floor(Date.now() / this.slotMs);
  }

  private arm(slot: number): void {
    if (this.timer && this.timerSlot <= slot) return;
    clearTimeout(this.timer);
    this.timerSlot = slot;
    const delay = Math.max(0, slot * this.slotMs - Date.now());
    this.timer = setTimeout(() => this.run(), delay).unref();
  }

  private run(): void {
    this.timer = undefined;
    this.timerSlot = Infinity;
    // Timers run on a monotonic clock and may fire a moment before the wall clock reaches the slot: then
    // nothing is due yet and the timer is re-armed for the rest.
    const now = this.currentSlot();
    try {
      for (; this.cursor <= now && this.slots.size > 0; this.cursor++) {
        const sets = this.slots.get(this.cursor);
        if (!sets) continue;
        this.slots.delete(this.cursor);
        for (let kind = 0; kind < sets.length; kind++) {
          for (const item of sets[kind] ?? []) this.due(item, kind);
        }
      }
    } finally {
      if (this.slots.size > 0) this.arm(Math.max(this.cursor, now + 1));
    }
  }
}
