// Starts parts in dependency order and stops the ones that started in reverse, each within a bounded time:
// one stuck part (a connection hanging on a dead network) must not keep the pools open and the process alive.
import type { Logger } from '../platform/index.ts';

export interface Part {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class Lifecycle {
  private readonly started: Part[] = [];
  private stopped = false;
  /** Set once stop() gave up waiting for the part still starting: that part stops on its own when it can. */
  private abandoned = false;
  /** The part starting now, if any (settles, never rejects). */
  private starting: Promise<void> | undefined;

  constructor(private readonly opts: { logger: Logger; stopDeadlineMs: number }) {}

  /** Starts each part after the previous one resolved; a failure stops the sequence (and is thrown). */
  async start(parts: readonly Part[]): Promise<void> {
    for (const part of parts) {
      if (this.stopped) throw new Error(`Stopped before ${part.name} started`);
      const starting = part.start();
      this.starting = starting.then(
        () => undefined,
        () => undefined,
      );
      await starting;
      if (this.abandoned) {
        void this.stopPart(part);
        throw new Error(`Stopped while ${part.name} started`);
      }
      this.started.push(part);
    }
  }

  /**
   * Stops every started part, last started first. A part still starting (migrations, the job queue's first
   * connection) is waited for first, within the deadline, so that it is stopped too rather than left
   * running while the pools and the embedded database close under it.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const { logger, stopDeadlineMs } = this.opts;
    if (this.starting && !(await within(this.starting, stopDeadlineMs))) {
      this.abandoned = true;
      logger.warn({ ms: stopDeadlineMs }, 'A part still starting did not settle in time; moving on');
    }
    for (const part of this.started.splice(0).reverse()) await this.stopPart(part);
  }

  private async stopPart(part: Part): Promise<void> {
    const { logger, stopDeadlineMs } = this.opts;
    const stopped = part
      .stop()
      .catch((err: unknown) => logger.error({ err, part: part.name }, 'Error while stopping'));
    if (!(await within(stopped, stopDeadlineMs)))
      logger.warn({ part: part.name, ms: stopDeadlineMs }, 'A part did not stop in time; moving on');
  }
}

/** True if `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
