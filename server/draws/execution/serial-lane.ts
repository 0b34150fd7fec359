// One pass at a time: a trigger while a pass runs asks for exactly one more pass after it, however many
// triggers arrive. The scheduler's close and draw loops both work this way.
export class SerialLane {
  private current: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly isOpen: () => boolean,
  ) {}

  trigger(): void {
    if (!this.isOpen()) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = this.pass().finally(() => {
      this.current = null;
      if (this.again) {
        this.again = false;
        this.trigger();
      }
    });
  }

  /** Asks for one more pass after the running one (from inside a pass that found more work). */
  rerunAfterThis(): void {
    this.again = true;
  }

  settled(): Promise<unknown> {
    return Promise.allSettled([this.current]);
  }
}
