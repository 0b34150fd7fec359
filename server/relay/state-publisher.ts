// Turns read states into room events: what differs from the baseline (what this publisher last emitted for
// each giveaway), with the details of every diff of a pass read in one statement each. Shared by the cluster
// relay and the per-node local relay, each with its own baselines and emitter.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
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

/** States published per turn of the event loop during a resync. */
const RESYNC_CHUNK = 1_000;
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
  private retainOnly(ids: ReadonlySet<string>): void {
    for (const id of this.baselines.keys()) if (!ids.has(id)) this.baselines.delete(id);
  }

  /** Forgets every baseline: the next state of each giveaway is emitted in full. */
  clear(): void {
    this.baselines.clear();
  }

  /**
   * A resync's publish: the states of every live and recently finished giveaway (`recentSec`), read after
   * `readAt` (database time). Emits what differs in chunks, yielding to the event loop between them, lets
   * every other giveaway's baseline go (it emits as new if it changes again), and moves the history horizon:
   * what a finished giveaway left out of the states was made before `readAt - recentSec`.
   */
  async publishResync(states: readonly GiveawayState[], readAt: Date, recentSec: number): Promise<void> {
    this.retainOnly(new Set(states.map((s) => s.id)));
    for (let i = 0; i < states.length; i += RESYNC_CHUNK) {
      await this.publish(states.slice(i, i + RESYNC_CHUNK));
      await yieldToLoop();
    }
    this.historyFrom = new Date(readAt.getTime() - recentSec * 1_000);
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
