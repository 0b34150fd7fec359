// Buffers participants across giveaways and writes them in multi-row statements of `batch` rows, with up
// to `target.parallel` statements in flight while the next ones are read from Redis. Users never seen (no
// `user:{uid}` record) get a placeholder row first, as the foreign key requires.
import { insertPlaceholderUsers } from './catalog.queries.ts';
import type { IdSet } from './id-set.ts';
import type { ImportReport } from './import-report.ts';
import type { ImportTarget } from './import-target.ts';
import {
  insertParticipants,
  isUniqueViolation,
  type ParticipantBatch,
  type ReferenceChecks,
} from './participants.queries.ts';

interface Pending {
  giveawayId: string;
  key: string;
  joinedAt: string;
  /** The giveaway's row was inserted by this run: none of its participants can be there yet. */
  fresh: boolean;
  userIds: number[];
}

export interface ParticipantWriterOptions {
  target: ImportTarget;
  report: ImportReport;
  knownUsers: IdSet;
  batch: number;
  /** How the inserts check their foreign keys (see ReferenceChecks); per row by default. */
  checks?: ReferenceChecks;
  /** Testing aid: a pause after each write, so a test can kill the process mid-import. */
  slowMs?: number;
  onWritten(rows: number): void;
}

export class ParticipantWriter {
  private pending: Pending[] = [];
  private pendingRows = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: ParticipantWriterOptions) {}

  async add(
    giveawayId: string,
    key: string,
    joinedAt: string,
    fresh: boolean,
    userIds: number[],
  ): Promise<void> {
    let from = 0;
    while (from < userIds.length) {
      const take = Math.min(this.opts.batch - this.pendingRows, userIds.length - from);
      const part = from === 0 && take === userIds.length ? userIds : userIds.slice(from, from + take);
      this.pending.push({ giveawayId, key, joinedAt, fresh, userIds: part });
      this.pendingRows += take;
      from += take;
      if (this.pendingRows >= this.opts.batch) await this.flush();
    }
  }

  /**
   * Sends what is buffered and returns, without waiting for it, a promise of every write so far being done
   * (wrapped: an async function would wait for a promise it returns), so the caller can go on reading the
   * next giveaways while these are written.
   */
  async settle(): Promise<{ done: Promise<void> }> {
    if (this.pendingRows > 0) await this.flush();
    return { done: Promise.all([...this.inFlight]).then(() => undefined) };
  }

  private async flush(): Promise<void> {
    const work = this.pending;
    this.pending = [];
    this.pendingRows = 0;
    // Placeholders are written here, one batch at a time, before the participants that need them go out:
    // a later batch never races an earlier one for the same new user.
    const fresh = new Set<number>();
    for (const w of work) for (const u of w.userIds) if (!this.opts.knownUsers.has(u)) fresh.add(u);
    try {
      const ids = [...fresh].sort((a, b) => a - b);
      const made = await this.opts.target.run((q) => insertPlaceholderUsers(q, ids));
      this.opts.report.add('imported', 'placeholder_users', made);
      for (const id of ids) this.opts.knownUsers.add(id);
    } catch (err) {
      this.fail(work, err);
      return;
    }
    while (this.inFlight.size >= this.opts.target.parallel) await Promise.race(this.inFlight);
    const p = this.write(work).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async write(work: Pending[]): Promise<void> {
    // Sorted by giveaway then user: concurrent statements take row locks in one order (no deadlocks) and
    // the primary key index is filled in order.
    work.sort((a, b) => (a.giveawayId < b.giveawayId ? -1 : a.giveawayId > b.giveawayId ? 1 : 0));
    const batch: ParticipantBatch = { giveawayIds: [], joinedAt: [], giveawayIndex: [], userIds: [] };
    for (const w of work) {
      if (batch.giveawayIds[batch.giveawayIds.length - 1] !== w.giveawayId) {
        batch.giveawayIds.push(w.giveawayId);
        batch.joinedAt.push(w.joinedAt);
      }
      const index = batch.giveawayIds.length;
      // A typed array sorts numerically in native code, without a comparator call per pair.
      for (const u of Float64Array.from(w.userIds).sort()) {
        batch.giveawayIndex.push(index);
        batch.userIds.push(u);
      }
    }
    try {
      const checks = this.opts.checks ?? 'per-row';
      const fresh = work.every((w) => w.fresh);
      const insert = (fresh: boolean) =>
        this.opts.target.tx((tx) => insertParticipants(tx, batch, { checks, fresh }));
      // A fresh batch can still meet a row already there: SSCAN repeating a member, or a join through the
      // new server if it is live. Then the batch goes again with ON CONFLICT, and counts stay exact.
      const inserted = await insert(fresh).catch((err: unknown) => {
        if (fresh && isUniqueViolation(err)) return insert(false);
        throw err;
      });
      this.opts.report.add('imported', 'participants', inserted);
    } catch (err) {
      this.fail(work, err);
    }
    this.opts.onWritten(batch.userIds.length);
    if (this.opts.slowMs) await new Promise((r) => setTimeout(r, this.opts.slowMs));
  }

  private fail(work: Pending[], err: unknown): void {
    for (const key of new Set(work.map((w) => w.key))) {
      this.opts.report.skip(key, 'db_error', (err as Error).message.slice(0, 200));
    }
  }
}
