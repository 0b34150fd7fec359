// `?demo=1` and /overlay/demo: a simulated giveaway (entries arriving in bursts, watchers, a countdown, a draw
// with a reveal, then again) so a streamer can place and style the overlay in OBS before going live. It feeds
// the same handlers as the live source, so what the streamer sets up is what viewers will see. Its winners are
// fake and picked here; the live overlay never picks anyone.
import type { GiveawaySnapshot } from '../../../schema/contract/realtime.ts';
import type { SourceHandlers } from './source.ts';

const NAMES = ['pixel_pirate', 'nova', 'stargazer42', 'mika', 'lofi_fox', 'dr_wombat', 'glitchy', 'tea_time'];
const PRIZES = [
  { title: 'Telegram Premium', description: '3 months', quantity: 1 },
  { title: 'Stars', description: '', quantity: 500 },
  { title: 'Sticker pack', description: '', quantity: 1 },
];
/** How long the results stay up before the demo starts over. */
const RESULTS_MS = 30_000;

const iso = (ms: number) => new Date(ms).toISOString();
const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

export function demoSource(on: SourceHandlers, opts: { seconds: number; now: () => number }): () => void {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  let version = 0;
  let view: GiveawaySnapshot;
  const change = (patch: Partial<GiveawaySnapshot>) => {
    view = { ...view, ...patch, version: ++version, updated_at: iso(opts.now()) };
    return view;
  };

  const round = () => {
    const start = opts.now();
    const ends = start + opts.seconds * 1000;
    view = {
      id: 'demo',
      creator_id: 0,
      title: 'Demo giveaway',
      description: '',
      status: 'active',
      started_at: iso(start),
      ends_at: iso(ends),
      duration: opts.seconds,
      winners_count: PRIZES.length,
      reserves_count: 0,
      max_participants: 0,
      allow_tickets: false,
      participants_count: 0,
      version: ++version,
      created_at: iso(start),
      updated_at: iso(start),
      prizes: PRIZES.map((p, i) => ({ ...p, place: i + 1, prize_type: 'custom' as const })),
      sponsors: [],
      requirements: [],
      winners: [],
      claim_window: null,
      vacant_places: [],
      seed_commitment: hex(32),
      // Quicknet's round numbering (3 s rounds since its genesis), so the number looks like a real one.
      beacon: {
        network: 'drand-quicknet',
        chain_hash: hex(32),
        round: Math.floor((start / 1000 - 1_692_803_367) / 3),
      },
      entrants_root: null,
      entrants_count: null,
    };
    on.snapshot(view);
    // Entries arrive in bursts, the way they do right after a streamer announces a giveaway.
    const join = () => {
      if (opts.now() >= ends) return;
      on.update(change({ participants_count: view.participants_count + Math.floor(Math.random() * 6) }));
      later(250 + Math.random() * 600, join);
    };
    later(400, join);
    later(ends - opts.now(), () => {
      on.update(change({ status: 'pending' }));
      later(1500, () => draw());
    });
  };

  const draw = () => {
    const names = [...NAMES].sort(() => Math.random() - 0.5).slice(0, PRIZES.length);
    const winners = names.map((username, i) => ({
      place: i + 1,
      user_id: 1000 + NAMES.indexOf(username),
      username,
      name: username,
      avatar_url: '',
      prizes: [PRIZES[i] ?? { title: 'Prize', description: '', quantity: 1 }],
      claim_deadline: null,
      claimed_at: null,
      claim_extended_at: null,
    }));
    on.update(change({ status: 'completed' }));
    on.drawn({
      giveaway_id: 'demo',
      version,
      winners: winners.map(({ place, user_id, username, prizes }) => ({ place, user_id, username, prizes })),
      proof: {
        seed_commitment: view.seed_commitment,
        entrants_root: hex(32),
        entrants_count: view.participants_count,
      },
    });
    later(400, () => on.snapshot({ ...view, winners }));
    later(RESULTS_MS, round);
  };

  on.connection('live');
  round();
  const watchers = () => {
    on.watchers(180 + Math.floor(Math.random() * 40));
    later(1000, watchers);
  };
  watchers();
  return () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
}
