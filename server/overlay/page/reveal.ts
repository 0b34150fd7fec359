// The draw on screen: a slot reel that spins and lands on each winner the server published, then the winners
// list with places and prizes. It reconciles what is on screen with WinnerTargets, so a draw, a reroll, or a
// reconnect that missed either all end in the same state; the reel's other names are decoration only.
import { confetti } from './celebrate.ts';
import type { Text } from './text.ts';
import type { Winner, WinnerTargets } from './winners.ts';

/** Places beyond this appear at once: a 100-winner draw should not spin for five minutes. */
const MAX_ANIMATED = 10;
const HOLD_MS = 900;
const LABEL_WAIT_MS = 1500;

export interface RevealElements {
  stage: HTMLElement;
  strip: HTMLElement;
  caption: HTMLElement;
  list: HTMLElement;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function el(tag: string, className: string, text = ''): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

export const prizeText = (w: Pick<Winner, 'prizes'>): string =>
  w.prizes.map((p) => (p.quantity > 1 ? `${p.title} ×${p.quantity}` : p.title)).join(', ');

/** Blurred stand-ins: they look like names going by without claiming anyone was a candidate. */
function maskedName(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let s = '@';
  for (let i = 0, n = 5 + Math.floor(Math.random() * 6); i < n; i++) {
    s += letters[Math.floor(Math.random() * letters.length)] ?? 'x';
  }
  return s;
}

export class Reveal {
  private readonly shown = new Map<number, Winner>();
  /** What the list showed last, so only a newly landed row plays its entry animation. */
  private listed = new Map<number, number>();
  private running = false;
  private again = false;

  constructor(
    private readonly ui: RevealElements,
    private readonly targets: WinnerTargets,
    private readonly t: Text,
    private readonly opts: { confetti: boolean; onChange: () => void },
  ) {}

  get revealing(): boolean {
    return this.running;
  }

  /** Puts the current winners on screen without animation (the draw happened before the page opened). */
  settle(): void {
    if (this.running) return this.play();
    this.shown.clear();
    for (const w of this.targets.current()) this.shown.set(w.place, w);
    this.renderList();
  }

  /** Animates every place whose winner differs from the one on screen. */
  play(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  }

  /** Before the result arrives: blurred names roll by under "Drawing winners…". */
  idle(): void {
    const stage = this.ui.stage;
    if (this.running || stage.classList.contains('idle')) return;
    this.ui.caption.textContent = this.t.drawingWinners;
    const names = Array.from({ length: 4 }, maskedName);
    // The strip repeats itself so the CSS loop (to −50 %) is seamless.
    const items = [...names, ...names].map((name) => el('li', 'reel-item masked', name));
    this.ui.strip.style.transition = 'none';
    this.ui.strip.style.transform = '';
    this.ui.strip.replaceChildren(...items);
    stage.classList.add('idle');
  }

  /** Refreshes labels and prizes of the winners on screen (a snapshot brought names). */
  refresh(): void {
    for (const w of this.targets.current()) {
      const on = this.shown.get(w.place);
      if (on && on.userId === w.userId) this.shown.set(w.place, { ...w, label: w.label ?? on.label });
    }
    this.renderList();
  }

  /** Places left empty: shown once no spin is landing on them. */
  private vacantRows(): HTMLElement[] {
    return this.targets
      .vacant()
      .filter((place) => !this.shown.has(place))
      .map((place) => {
        const li = el('li', this.listed.has(place) ? 'winner vacant new' : 'winner vacant');
        li.dataset.place = String(place);
        li.dataset.vacant = 'true';
        li.append(
          el('b', 'w-place', String(place)),
          el('span', 'w-name', this.t.unclaimed),
          el('span', 'w-prize'),
        );
        return li;
      });
  }

  private async run(): Promise<void> {
    this.running = true;
    this.opts.onChange();
    try {
      do {
        this.again = false;
        const targets = this.targets.current();
        const places = new Set(targets.map((w) => w.place));
        for (const place of this.shown.keys()) if (!places.has(place)) this.shown.delete(place);
        const changed = targets.filter((w) => this.shown.get(w.place)?.userId !== w.userId);
        const first = this.shown.size === 0;
        this.renderList();
        for (const [i, w] of changed.entries()) {
          if (i >= MAX_ANIMATED) this.shown.set(w.place, w);
          else await this.spinTo(w, first, i);
          this.renderList();
        }
      } while (this.again);
    } finally {
      this.running = false;
      this.ui.stage.classList.remove('spinning', 'landed');
      this.opts.onChange();
    }
  }

  private async spinTo(w: Winner, first: boolean, index: number): Promise<void> {
    this.ui.caption.textContent = first
      ? `${this.t.place} ${w.place}`
      : `${this.t.rerolled} · ${this.t.place} ${w.place}`;
    const label = (await this.labelOf(w)) ?? `${this.t.winner} #${w.place}`;
    this.ui.stage.classList.remove('landed', 'idle');
    this.ui.stage.classList.add('spinning');
    const duration = first && index === 0 ? 3200 : 2300;
    const others = this.targets
      .current()
      .filter((x) => x.userId !== w.userId && x.label)
      .map((x) => x.label ?? '');
    const count = Math.round(duration / 110);
    const items: HTMLElement[] = [];
    for (let i = 0; i < count - 1; i++) {
      const known = others.length > 0 && i % 3 === 0 ? others[i % others.length] : undefined;
      items.push(el('li', known ? 'reel-item' : 'reel-item masked', known ?? maskedName()));
    }
    const hit = el('li', 'reel-item hit', label);
    hit.dataset.userId = String(w.userId);
    // One more below the winner, so a reel taller than one row has no hole under the payline.
    items.push(hit, el('li', 'reel-item masked', maskedName()));
    const strip = this.ui.strip;
    strip.replaceChildren(...items);
    strip.style.transition = 'none';
    strip.style.transform = 'translateY(0)';
    void strip.offsetHeight; // Commit the start position so the transition runs from it.
    strip.style.transition = `transform ${duration}ms cubic-bezier(.12,.62,.16,1)`;
    strip.style.transform = `translateY(calc(${1 - count} * var(--item-h)))`;
    await sleep(duration);
    this.ui.stage.classList.replace('spinning', 'landed');
    if (this.opts.confetti) confetti(this.ui.stage);
    this.shown.set(w.place, { ...w, label });
    this.renderList();
    await sleep(HOLD_MS);
  }

  /** The winner's name; a draw event without one is followed within a second by a snapshot that has it. */
  private async labelOf(w: Winner): Promise<string | null> {
    for (let waited = 0; ; waited += 100) {
      const label = w.label ?? this.targets.labelFor(w.userId);
      if (label || waited >= LABEL_WAIT_MS) return label;
      await sleep(100);
    }
  }

  private renderList(): void {
    const rows = [...this.shown.values()]
      .sort((a, b) => a.place - b.place)
      .map((w) => {
        const li = el('li', this.listed.get(w.place) === w.userId ? 'winner' : 'winner new');
        li.dataset.place = String(w.place);
        li.dataset.userId = String(w.userId);
        if (w.claimed) {
          li.classList.add('claimed');
          li.dataset.claimed = 'true';
        }
        li.append(
          el('b', 'w-place', String(w.place)),
          el('span', 'w-name', w.label ?? `${this.t.winner} #${w.place}`),
          el('span', 'w-prize', prizeText(w)),
        );
        return li;
      });
    const all = [...rows, ...this.vacantRows()].sort(
      (a, b) => Number(a.dataset.place) - Number(b.dataset.place),
    );
    this.ui.list.replaceChildren(...all);
    this.listed = new Map([...this.shown].map(([place, w]) => [place, w.userId]));
  }
}
