// Turns read states into room events: what differs from the baseline (what this publisher last emitted for
// each giveaway), with the details of every diff of a pass read in one statement each. Shared by the cluster
// relay and the per-node local relay, each with its own baselines and emitter.
import type pg from 'pg';
import {
  selectDrawResults,
  selectRecentHistory,
  selectRerollsAfter,
  selectStates,
  selectWinnerEventsAfter,
  type GiveawayState,
} from './relay.queries.ts';
import { diffState, eventsOf, historyBaseline, type Baseline, type RoomEvent } from './state-diff.ts';

/** Where events go (a RoomEmitter). */
export interface EventSink {
  send(giveawayId: string, e: RoomEvent): void;
}

const FINISHED = new Set<GiveawayState['status']>(['completed', 'cancelled']);

export class StatePublisher {
  private readonly baselines = new Map<string, Baseline>();
  /** Changes made before this (database time) were relayed, or were history when the last resync ran. */
  private historyFrom: Date | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly emitter: EventSink,
  ) {}

  /** A deleted giveaway: nothing to emit; if the id comes back it is emitted as new. */
  forget(id: string): void {
    this.baselines.delete(id);
  }

  /** Keeps only these giveaways' baselines (the others emit as new if they change again). */
  retainOnly(ids: ReadonlySet<string>): void {
    for (const id of this.baselines.keys()) if (!ids.has(id)) this.baselines.delete(id);
  }

  /** Forgets every baseline: the next state of each giveaway is emitted in full. */
  clear(): void {
    this.baselines.clear();
  }

  /** Set by each resync: `horizon` is the database time read before its states, minus its recent window. */
  setHistoryHorizon(horizon: Date): void {
    this.historyFrom = horizon;
  }

  /**
   * A finished giveaway that changes again (a claim or a reroll days after its draw) has no baseline once a
   * resync let it go: without one its claims and rerolls would not be sent. The stand-in counts as relayed
   * everything made before the last resync's history horizon. For states read because they changed.
   */
  private async recoverBaselines(states: readonly GiveawayState[]): Promise<void> {
    const since = this.historyFrom;
    const orphans = states.filter((s) => !this.baselines.has(s.id) && FINISHED.has(s.status));
    if (since === undefined || orphans.length === 0) return;
    const recent = await selectRecentHistory(
      this.pool,
      orphans.map((s) => s.id),
      since,
    );
    for (const s of orphans) {
      const counts = recent.get(s.id);
      if (counts) this.baselines.set(s.id, historyBaseline(s, counts));
    }
  }

  /** Reads the giveaways heard to have changed and publishes what differs; deleted ones are forgotten. */
  async publishChanged(ids: readonly string[]): Promise<void> {
    const states = await selectStates(this.pool, ids);
    const found = new Set(states.map((s) => s.id));
    for (const id of ids) if (!found.has(id)) this.forget(id);
    await this.recoverBaselines(states);
    await this.publish(states);
  }

  async publish(states: readonly GiveawayState[]): Promise<void> {
    const diffs = states.flatMap((s) => diffState(this.baselines.get(s.id), s) ?? []);
    const [results, rerolls, winnerEvents] = await Promise.all([
      selectDrawResults(
        this.pool,
        diffs.filter((d) => d.drawn).map((d) => d.state.id),
      ),
      selectRerollsAfter(
        this.pool,
        diffs.flatMap((d) =>
          d.rerolledAfter === undefined ? [] : [{ id: d.state.id, after: d.rerolledAfter }],
        ),
      ),
      selectWinnerEventsAfter(
        this.pool,
        diffs.flatMap((d) =>
          d.winnerEventsAfter === undefined ? [] : [{ id: d.state.id, after: d.winnerEventsAfter }],
        ),
      ),
    ]);
    for (const diff of diffs) {
      const id = diff.state.id;
      const { events, next } = eventsOf(diff, {
        result: results.get(id),
        rerolls: rerolls.get(id),
        winnerEvents: winnerEvents.get(id),
      });
      for (const e of events) this.emitter.send(id, e);
      this.baselines.set(id, next);
    }
  }
}
