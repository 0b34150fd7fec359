// Time left until a deadline, ticking on whole seconds of the server's clock (the offset corrects a streaming
// PC whose clock is wrong). Pure timing, no DOM: `render` draws it.
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${two(h)}:${two(m)}:${two(s)}`;
  if (h > 0) return `${h}:${two(m)}:${two(s)}`;
  return `${m}:${two(s)}`;
}

export class Countdown {
  private deadline: number | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly render: (remainingMs: number | null, text: string) => void,
    /** serverNow − Date.now() at page load. */
    private readonly offsetMs = 0,
  ) {}

  /** Counts down to `iso` (null stops and clears it). */
  to(iso: string | null): void {
    const at = iso ? Date.parse(iso) : NaN;
    const deadline = Number.isFinite(at) ? at : null;
    if (deadline === this.deadline) return;
    this.deadline = deadline;
    clearTimeout(this.timer);
    this.tick();
  }

  /** The deadline passed as far as the server is concerned: show zero now, even if this clock lags. */
  finish(): void {
    clearTimeout(this.timer);
    this.deadline = null;
    this.render(0, formatRemaining(0));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.deadline = null;
  }

  private tick(): void {
    if (this.deadline === null) return this.render(null, '');
    const left = this.deadline - (Date.now() + this.offsetMs);
    this.render(Math.max(0, left), formatRemaining(left));
    // Wake just after the next whole second of the remaining time, so the digits change on the beat.
    if (left > 0) this.timer = setTimeout(() => this.tick(), (left % 1000 || 1000) + 15);
  }
}
