// Publishes cluster-wide watcher totals (from Presence) into rooms, only where they changed. Volatile: the
// next publication supersedes a dropped one.
import type pg from 'pg';
import type { Logger } from '../platform/logger.ts';
import type { WatcherSource } from './presence.ts';
import type { RelayMetrics } from './relay-metrics.ts';
import { selectStates } from './relay.queries.ts';
import type { RoomEmitter } from './room-emitter.ts';

export interface WatcherPublisherOptions {
  presence: WatcherSource;
  pool: pg.Pool;
  emitter: RoomEmitter;
  logger: Logger;
  metrics: RelayMetrics;
}

export class WatcherPublisher {
  private readonly log: Logger;
  /** Last published total per giveaway; zero totals are published once, then forgotten. */
  private readonly published = new Map<string, number>();

  constructor(private readonly opts: WatcherPublisherOptions) {
    this.log = opts.logger.child({ module: 'watcher-publisher' });
  }

  /** One pass; never throws (a failed pass is retried by the next). */
  async publish(): Promise<void> {
    try {
      const totals = await this.opts.presence.collect();
      const changed = [...totals].filter(
        ([id, n]) => this.published.get(id) !== n && (n > 0 || this.published.has(id)),
      );
      if (changed.length === 0) return;
      // The event carries the giveaway's version so clients can order it against state events.
      const states = await selectStates(
        this.opts.pool,
        changed.map(([id]) => id),
      );
      const versions = new Map(states.map((st) => [st.id, st.version]));
      for (const [id, watchers] of changed) {
        const version = versions.get(id);
        if (version === undefined) continue;
        this.opts.emitter.send(id, {
          event: 'giveaway:watchers',
          volatile: true,
          payload: { giveaway_id: id, version, watchers },
        });
        if (watchers > 0) this.published.set(id, watchers);
        else this.published.delete(id);
      }
    } catch (err) {
      this.opts.metrics.failed('watchers');
      this.log.warn({ err: (err as Error).message }, 'Watcher totals not published');
    }
  }
}
