// The relays' pass loop: a pass every `everyMs` after the previous one ended (never two at once), and a stop
// that waits for the pass in flight. Shared by the cluster relay and the per-node local relay.
//
// poke() runs a pass at once when the last one started at least `everyMs` ago: a change that arrives after a
// quiet spell (a giveaway drawn, a status change) goes out without waiting up to a whole tick, while a burst
// still gets at most one pass per `everyMs` (the relays' per-room coalescing rests on that).
export class TickLoop {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private running = false;
  private lastStart = -Infinity;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly everyMs: number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Something is waiting: run a pass now unless one is in flight or one started less than a tick ago. */
  poke(): void {
    if (!this.running || this.ticking) return;
    if (performance.now() - this.lastStart < this.everyMs) return;
    clearTimeout(this.timer);
    this.run();
  }

  /** No pass starts after this; resolves once the one in flight (if any) has ended. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.ticking;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => this.run(), this.everyMs);
  }

  private run(): void {
    this.lastStart = performance.now();
    // A pass handles its own errors (PassBackoff); the loop only sequences them.
    this.ticking = this.pass().finally(() => {
      this.ticking = null;
      this.schedule();
    });
  }
}
