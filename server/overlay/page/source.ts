// Where the overlay's state comes from: the live giveaway through the SDK's watch (which carries out the
// resync rules of docs/realtime.md), or the demo simulation. Both speak this one interface.
import { createClient } from '../../../client-sdk/src/client.ts';
import type {
  ClaimedEvent,
  DrawnEvent,
  GiveawaySnapshot,
  RerolledEvent,
  WinnerChangedEvent,
} from '../../../schema/contract/realtime.ts';

export type Connection = 'connecting' | 'live' | 'offline' | 'missing';

export interface SourceHandlers {
  /** A full snapshot (first load, reconnect, gap, refresh): the truth, winners included. */
  snapshot(view: GiveawaySnapshot): void;
  /** The view after a live event (count, status); winners change only through snapshots and events below. */
  update(view: GiveawaySnapshot): void;
  drawn(event: DrawnEvent): void;
  rerolled(event: RerolledEvent): void;
  winnerChanged(event: WinnerChangedEvent): void;
  claimed(event: ClaimedEvent): void;
  watchers(count: number): void;
  connection(state: Connection): void;
}

/** A failed watch starts over after this long: a browser source must never stay stuck. */
const RESTART_MS = 10_000;
/** An unknown giveaway is asked about again rarely (an OBS scene may hold a URL for a giveaway not made yet). */
const MISSING_RESTART_MS = 60_000;

export function liveSource(giveawayId: string, realtimeUrl: string, on: SourceHandlers): () => void {
  let stopped = false;
  let stopCurrent = () => undefined as void;
  const start = () => {
    const client = createClient({ baseUrl: location.origin, realtimeUrl: realtimeUrl || location.origin });
    let restart: ReturnType<typeof setTimeout> | undefined;
    let missing = false;
    const again = () => {
      if (stopped || restart) return;
      restart = setTimeout(
        () => {
          client.close();
          start();
        },
        missing ? MISSING_RESTART_MS : RESTART_MS,
      );
    };
    client.watch(giveawayId, {
      snapshot: (view) => on.snapshot(view),
      update: (view) => on.update(view),
      drawn: (event) => on.drawn(event),
      rerolled: (event) => on.rerolled(event),
      winnerChanged: (event) => on.winnerChanged(event),
      claimed: (event) => on.claimed(event),
      watchers: (event) => on.watchers(event.watchers),
      state: (state) => {
        if (state === 'live') on.connection('live');
        else if (state === 'offline' || state === 'connecting')
          on.connection(state === 'offline' ? 'offline' : 'connecting');
        else if (state === 'failed') again();
      },
      error: (err) => {
        if (err.code !== 'NOT_FOUND') return;
        missing = true;
        on.connection('missing');
      },
    });
    stopCurrent = () => {
      clearTimeout(restart);
      client.close();
    };
  };
  start();
  return () => {
    stopped = true;
    stopCurrent();
  };
}
