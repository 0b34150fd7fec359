// The progress display: one line redrawn in place on a terminal, plain log lines every few seconds otherwise
// (CI logs, `| tee`), with counts, the rate and the skip total, so an operator sees a long import move.
import type { Writable } from 'node:stream';

export interface ProgressSink {
  phase(name: string, unit: string, total?: number): void;
  advance(n: number): void;
  note(extra: string): void;
  skipped(total: number): void;
  end(): void;
}

export const silentProgress: ProgressSink = {
  phase: () => undefined,
  advance: () => undefined,
  note: () => undefined,
  skipped: () => undefined,
  end: () => undefined,
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export class ConsoleProgress implements ProgressSink {
  private name = '';
  private unit = '';
  private total: number | undefined;
  private done = 0;
  private extra = '';
  private skips = 0;
  private startedAt = 0;
  private lastDraw = 0;

  constructor(
    private readonly out: Writable & { isTTY?: boolean },
    private readonly intervalMs = out.isTTY ? 100 : 2_000,
  ) {}

  phase(name: string, unit: string, total?: number): void {
    if (this.name) this.flushLine();
    this.name = name;
    this.unit = unit;
    this.total = total;
    this.done = 0;
    this.extra = '';
    this.startedAt = Date.now();
    this.lastDraw = 0;
  }

  advance(n: number): void {
    this.done += n;
    this.maybeDraw();
  }

  note(extra: string): void {
    this.extra = extra;
    this.maybeDraw();
  }

  skipped(total: number): void {
    this.skips = total;
  }

  end(): void {
    if (this.name) this.flushLine();
    this.name = '';
  }

  private maybeDraw(): void {
    const now = Date.now();
    if (now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    if (this.out.isTTY) this.out.write(`\r\x1b[K${this.line()}`);
    else this.out.write(`${this.line()}\n`);
  }

  /** The phase's final state, always on its own line. */
  private flushLine(): void {
    this.out.write(this.out.isTTY ? `\r\x1b[K${this.line()}\n` : `${this.line()}\n`);
  }

  private line(): string {
    const secs = Math.max((Date.now() - this.startedAt) / 1000, 0.001);
    const of = this.total === undefined ? '' : `/${fmt(this.total)}`;
    const pct = this.total ? ` (${Math.floor((100 * this.done) / this.total)}%)` : '';
    const parts = [
      `[${this.name}] ${fmt(this.done)}${of} ${this.unit}${pct}`,
      `${fmt(this.done / secs)} ${this.unit}/s`,
      ...(this.extra ? [this.extra] : []),
      `${fmt(this.skips)} skipped`,
    ];
    return parts.join(' · ');
  }
}
