// The overlay page's entry: reads the injected config and the query, applies the theme, and wires a source
// (live or demo) to the view and the reveal. The last state is kept in localStorage so a reload or an OBS scene
// switch while the server is down shows the giveaway (marked reconnecting) instead of an empty panel.
import type { GiveawaySnapshot } from '../../../schema/contract/realtime.ts';
import { demoSource } from './demo.ts';
import { parseConfig, parseOptions, type OverlayOptions } from './options.ts';
import { Reveal } from './reveal.ts';
import { liveSource, type SourceHandlers } from './source.ts';
import { textFor } from './text.ts';
import { OverlayView, type Phase } from './view.ts';
import { WinnerTargets } from './winners.ts';

/** A draw this recent is still revealed on a fresh load: a scene switch during the draw must not skip it. */
const RECENT_DRAW_MS = 120_000;
const CACHE_MAX_AGE_MS = 7 * 86_400_000;
const SAVE_EVERY_MS = 3_000;

function applyTheme(html: HTMLElement, opts: OverlayOptions): void {
  html.classList.add(`layout-${opts.layout}`, `pos-${opts.position}`, `theme-${opts.theme}`);
  for (const part of opts.hide) html.classList.add(`hide-${part}`);
  html.lang = opts.lang;
  html.style.setProperty('--scale', String(opts.scale));
  if (opts.accent) html.style.setProperty('--accent', opts.accent);
}

const cache = {
  key: (id: string) => `giveaway-overlay:${id}`,
  read(id: string): GiveawaySnapshot | null {
    try {
      const saved = JSON.parse(localStorage.getItem(cache.key(id)) ?? 'null') as {
        at: number;
        view: GiveawaySnapshot;
      } | null;
      return saved && Date.now() - saved.at < CACHE_MAX_AGE_MS ? saved.view : null;
    } catch {
      return null; // Storage off or full: the page works without it.
    }
  },
  write(id: string, view: GiveawaySnapshot): void {
    try {
      localStorage.setItem(cache.key(id), JSON.stringify({ at: Date.now(), view }));
    } catch {
      // Same as above.
    }
  },
};

function main(): void {
  const config = parseConfig(document.getElementById('overlay-config')?.textContent);
  const opts = parseOptions(new URLSearchParams(location.search), config.demo);
  const offset = config.serverNow - Date.now();
  const now = () => Date.now() + offset;
  applyTheme(document.documentElement, opts);
  const t = textFor(opts.lang);
  const view = new OverlayView(document, opts, t, offset);
  const targets = new WinnerTargets();
  let current: GiveawaySnapshot | null = null;
  let snapshotStatus: string | null = null;
  let realSnapshots = 0;
  const verifyUrl = config.verifyUrl;

  const render = () => {
    if (!current) return;
    const winners = targets.current().length;
    const decided = winners > 0 || snapshotStatus === 'completed';
    let phase: Phase = 'live';
    if (reveal.revealing || current.status === 'pending' || current.status === 'drawing') phase = 'drawing';
    else if (current.status === 'completed') phase = decided ? 'results' : 'drawing';
    else if (current.status === 'cancelled') phase = 'cancelled';
    view.phase(phase, phase === 'results' && winners === 0);
    if (phase === 'drawing') reveal.idle();
    view.proof(targets.seedCommitment, current.beacon?.round ?? null, verifyUrl);
  };
  const reveal = new Reveal(
    {
      stage: document.querySelector<HTMLElement>('[data-part="draw"]') ?? document.body,
      strip: document.querySelector<HTMLElement>('.reel-strip') ?? document.body,
      caption: document.querySelector<HTMLElement>('.reel-caption') ?? document.body,
      list: document.querySelector<HTMLElement>('.winners') ?? document.body,
    },
    targets,
    t,
    { confetti: !opts.hide.has('confetti'), onChange: render },
  );

  let savedAt = 0;
  const save = (v: GiveawaySnapshot, force: boolean) => {
    // Every snapshot, and a live count at most every few seconds: enough for a reload to look right.
    if (!config.giveawayId || opts.demo || (!force && Date.now() - savedAt < SAVE_EVERY_MS)) return;
    savedAt = Date.now();
    cache.write(config.giveawayId, v);
  };
  const show = (v: GiveawaySnapshot) => {
    current = v;
    view.show(v);
    render();
  };
  const handlers: SourceHandlers = {
    snapshot(v) {
      targets.setSnapshot(v);
      snapshotStatus = v.status;
      const first = realSnapshots++ === 0;
      const drawnAt = Date.parse(v.updated_at);
      const recent = v.status === 'completed' && now() - drawnAt < RECENT_DRAW_MS;
      show(v);
      if (first && !opts.replay && !recent) reveal.settle();
      else reveal.play();
      reveal.refresh();
      save(v, true);
    },
    update(v) {
      show(v);
      save(v, false);
    },
    drawn(event) {
      targets.drawn(event);
      reveal.play();
      render();
    },
    rerolled(event) {
      targets.rerolled(event);
      reveal.play();
    },
    // An unclaimed place passing to a reserve spins like any reroll; one left empty says so in the list.
    winnerChanged(event) {
      targets.winnerChanged(event);
      reveal.play();
    },
    claimed(event) {
      targets.claimed(event);
      reveal.refresh();
    },
    watchers: (n) => view.watchers(n),
    connection(state) {
      view.connection(state);
      if (state === 'missing') view.phase('missing', false);
    },
  };

  if (opts.demo) {
    demoSource(handlers, { seconds: opts.demoSeconds, now });
    return;
  }
  if (!config.giveawayId) return handlers.connection('missing');
  const cached = opts.replay ? null : cache.read(config.giveawayId);
  if (cached) {
    // Shown at once, as it was; the first live snapshot still decides whether a draw is revealed.
    targets.setSnapshot(cached);
    snapshotStatus = cached.status;
    show(cached);
    reveal.settle();
  }
  view.connection('connecting');
  liveSource(config.giveawayId, config.realtimeUrl, handlers);
}

main();
