// Phase 2, users: started by the scan. Each `user:{uid}` the scan files is queued at once, and every `batch`
// of them is read (MGET) and upserted while the scan goes on, so PostgreSQL writes users while the
// importer walks the keyspace instead of after it. Batches are written while the next ones are read; a batch
// that fails is retried user by user.
import { WriteQueue, readStrings } from './batch-writes.ts';
import type { PhaseDeps } from './catalog-import.ts';
import { upsertUsers } from './catalog.queries.ts';
import { IdSet } from './id-set.ts';
import { isolate } from './isolate.ts';
import { keyOf } from './key-inventory.ts';
import { parseUser, type LegacyUser } from './legacy-records.ts';

export class UserImport {
  private readonly known = new IdSet();
  private readonly queue: WriteQueue;
  private waiting: string[] = [];
  /** Reads run one after another, in the order the scan found the users. */
  private reads: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private written = 0;
  private phaseStarted = false;

  constructor(private readonly deps: PhaseDeps) {
    this.queue = new WriteQueue(deps.target.parallel);
  }

  /** A user found by the scan. */
  add(uid: string): void {
    this.waiting.push(uid);
    if (this.waiting.length >= this.deps.batch) this.send();
  }

  /**
   * After the scan: shows the users phase (with what is already written), writes the rest and returns the
   * ids of every user now in the target, so later phases only add placeholders for the rest.
   */
  async finish(total: number): Promise<IdSet> {
    this.deps.progress.phase('users', 'users', total);
    this.deps.progress.advance(this.written);
    this.phaseStarted = true;
    this.send();
    await this.reads;
    await this.queue.drain();
    if (this.failure) throw this.failure;
    return this.known;
  }

  /** Lets what is in flight end, starting nothing new (the run failed and its target is about to close). */
  async stop(): Promise<void> {
    this.failure ??= new Error('import stopped');
    await this.reads;
    await this.queue.drain();
  }

  private send(): void {
    if (this.waiting.length === 0) return;
    const uids = this.waiting;
    this.waiting = [];
    this.reads = this.reads
      .then(() => this.readAndWrite(uids))
      .catch((err: unknown) => {
        // Rethrown by finish(); the scan itself goes on until then.
        this.failure ??= err instanceof Error ? err : new Error(String(err));
      });
  }

  private async readAndWrite(uids: string[]): Promise<void> {
    if (this.failure) return;
    const { deps } = this;
    for await (const batch of readStrings(deps.source, deps.report, uids.map(keyOf.user), deps.batch)) {
      const users: LegacyUser[] = [];
      for (const [key, text] of batch) {
        const parsed = parseUser(key.slice('user:'.length), text);
        if (parsed.ok) users.push(parsed.value);
        else deps.report.skip(key, parsed.reason, parsed.detail);
      }
      await this.queue.push(async () => {
        const written = await isolate(
          deps.report,
          users,
          (u) => `user:${u.id}`,
          async (group) => {
            const c = await deps.target.tx((tx) => upsertUsers(tx, group));
            deps.report.add('imported', 'users', c.inserted);
            deps.report.add('updated', 'users', c.updated);
          },
        );
        for (const u of written) this.known.add(u.id);
        this.written += batch.length;
        if (this.phaseStarted) {
          deps.progress.advance(batch.length);
          deps.progress.skipped(deps.report.skippedTotal);
        }
      });
    }
  }
}
