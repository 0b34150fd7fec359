// The relays' pass loop: a pass every `everyMs` after the previous one ended (never two at once), and a stop
// that waits for the pass in flight. Shared by the cluster relay and the per-node local relay.
export class TickLoop {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private running = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly everyMs: number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** No pass starts after this; resolves once the one in flight (if any) has ended. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.ticking;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      // A pass handles its own errors (PassBackoff); the loop only sequences them.
      this.ticking = this.pass().finally(() => {
        this.ticking = null;
        this.schedule();
      });
    }, this.everyMs);
  }
}
