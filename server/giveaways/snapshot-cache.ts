// Public snapshots for socket subscribers. A popular giveaway can get thousands of subscribes a second
// (an overlay going live, a reconnect storm): one read serves them all for a short while, and concurrent
// misses share one in-flight read.
import type { GiveawaySnapshot } from '../../schema/contract/index.ts';

export class SnapshotCache {
  private readonly entries = new Map<string, { at: number; value: Promise<GiveawaySnapshot> }>();

  constructor(
    private readonly load: (giveawayId: string) => Promise<GiveawaySnapshot>,
    private readonly ttlMs = 250,
    private readonly maxEntries = 10_000,
  ) {}

  get(giveawayId: string): Promise<GiveawaySnapshot> {
    const hit = this.entries.get(giveawayId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = this.load(giveawayId);
    this.entries.set(giveawayId, { at: Date.now(), value });
    // Failures are not cached: the next subscriber retries.
    value.catch(() => this.entries.delete(giveawayId));
    return value;
  }
}
