// Frozen entrant lists with their Merkle trees, built once per node and shared by the steps that need them
// (publishing the root at close, the draw, inclusion proofs, rerolls). A list never changes after close, so a
// cached tree stays right; concurrent callers share one build, and the cache is bounded by entrants held.
import type pg from 'pg';
import { readEntrantColumns } from './entrants.queries.ts';
import { merkleWorkers, type MerkleWorkers } from './merkle-workers.ts';
import type { EntrantColumns, FrozenEntrants } from '../protocol/index.ts';

export interface FrozenEntrantsOptions {
  pool: pg.Pool;
  workers?: MerkleWorkers;
  /** Entrants kept across all cached lists (default 4M: about 300 MB of trees). */
  maxCachedEntrants?: number;
}

export class FrozenEntrantsStore {
  private readonly cache = new Map<string, Promise<FrozenEntrants>>();
  private readonly sizes = new Map<string, number>();
  private held = 0;

  constructor(private readonly opts: FrozenEntrantsOptions) {}

  /** Only for giveaways whose entrants are frozen (closed): an open list would be cached stale. */
  get(giveawayId: string): Promise<FrozenEntrants> {
    const hit = this.cache.get(giveawayId);
    if (hit) {
      // Most recently used last, so eviction drops the oldest.
      this.cache.delete(giveawayId);
      this.cache.set(giveawayId, hit);
      return hit;
    }
    return this.hold(giveawayId, this.build(giveawayId));
  }

  /**
   * Starts building the tree of columns being frozen right now (closing), before they are committed. Nothing is
   * cached: the caller hands the result to prime() once the freeze has committed, or drops it.
   */
  freeze(columns: EntrantColumns): Promise<FrozenEntrants> {
    const build = (this.opts.workers ?? merkleWorkers()).freeze(columns);
    // Dropped when the close rolls back; whoever primes it observes any failure.
    build.catch(() => undefined);
    return build;
  }

  /** Starts the tree threads ahead of the first freeze (worker nodes, at boot). */
  warm(): void {
    (this.opts.workers ?? merkleWorkers()).warm();
  }

  /** Caches the list a committed freeze built (see freeze()), so nobody reads it back from the database. */
  prime(giveawayId: string, build: Promise<FrozenEntrants>): void {
    if (!this.cache.has(giveawayId)) void this.hold(giveawayId, build);
  }

  private hold(giveawayId: string, build: Promise<FrozenEntrants>): Promise<FrozenEntrants> {
    this.cache.set(giveawayId, build);
    build.then(
      (frozen) => this.admit(giveawayId, frozen.count),
      () => this.forget(giveawayId),
    );
    return build;
  }

  forget(giveawayId: string): void {
    this.cache.delete(giveawayId);
    this.held -= this.sizes.get(giveawayId) ?? 0;
    this.sizes.delete(giveawayId);
  }

  private async build(giveawayId: string): Promise<FrozenEntrants> {
    const columns = await readEntrantColumns(this.opts.pool, giveawayId);
    return (this.opts.workers ?? merkleWorkers()).freeze(columns);
  }

  private admit(giveawayId: string, count: number): void {
    if (!this.cache.has(giveawayId)) return;
    this.sizes.set(giveawayId, count);
    this.held += count;
    const max = this.opts.maxCachedEntrants ?? 4_000_000;
    for (const id of this.cache.keys()) {
      if (this.held <= max || id === giveawayId) break;
      // Builds still in flight have no size yet and are never evicted half-way.
      if (this.sizes.has(id)) this.forget(id);
    }
    // A list larger than the whole budget serves the callers already waiting and is not kept.
    if (this.held > max) this.forget(giveawayId);
  }
}
