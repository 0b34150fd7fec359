// Draws the giveaway's state into the page's static skeleton (overlay.html): title, prizes, status, count,
// watchers, countdown, proof and QR, the connection badge, and the phase the CSS lays the panel out by.
// Text goes in through textContent only: titles and names are user content.
import { CountAnimator } from './count-animator.ts';
import { Countdown } from './countdown.ts';
import type { GiveawaySnapshot } from '../../../schema/contract/realtime.ts';
import type { OverlayOptions } from './options.ts';
import { qrSvg } from './qr.ts';
import type { Connection } from './source.ts';
import type { Text } from './text.ts';

export type Phase = 'waiting' | 'live' | 'drawing' | 'results' | 'cancelled' | 'missing';

/** The badge appears only when trouble lasts: a quick resync should not blink on stream. */
const BADGE_DELAY_MS = 1200;

function must<T extends Element>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`overlay.html lacks ${selector}`);
  return found;
}

function elementsOf(root: HTMLElement) {
  const part = (name: string) => must<HTMLElement>(root, `[data-part="${name}"]`);
  const inside = (selector: string) => must<HTMLElement>(root, selector);
  return {
    title: part('title'),
    status: part('status'),
    prizes: part('prizes'),
    count: inside('[data-part="count"] b'),
    countLabel: inside('[data-part="count"] small'),
    watchersBox: part('watchers'),
    watchers: inside('[data-part="watchers"] b'),
    watchersLabel: inside('[data-part="watchers"] small'),
    countdown: inside('[data-part="countdown"] b'),
    countdownLabel: inside('[data-part="countdown"] small'),
    connection: part('connection'),
    commitment: inside('[data-part="proof"] code'),
    beacon: inside('[data-part="proof"] .beacon'),
    verifyUrl: inside('[data-part="proof"] .verify-url'),
    qr: part('qr'),
    empty: inside('.no-winners'),
    demo: inside('.demo-tag'),
  };
}

export class OverlayView {
  readonly root: HTMLElement;
  private readonly el: ReturnType<typeof elementsOf>;
  private readonly count: CountAnimator;
  private readonly countdown: Countdown;
  private readonly number: Intl.NumberFormat;
  private badgeTimer: ReturnType<typeof setTimeout> | undefined;
  private qrFor: string | null = null;
  private lastPulse = 0;
  private untilLabel = '';
  private status = '';

  constructor(
    doc: Document,
    private readonly opts: OverlayOptions,
    private readonly t: Text,
    clockOffsetMs: number,
  ) {
    this.root = must(doc, '#overlay');
    this.el = elementsOf(this.root);
    this.number = new Intl.NumberFormat(opts.lang === 'ru' ? 'ru-RU' : 'en-US');
    this.el.countLabel.textContent = t.entries;
    this.el.watchersLabel.textContent = t.watching;
    this.el.empty.textContent = t.noWinners;
    this.el.demo.textContent = t.demo;
    this.el.demo.hidden = !opts.demo;
    must(this.root, '.proof-label').textContent = t.commitment;
    must(this.root, '.verify-label').textContent = t.verify;
    this.el.connection.lastElementChild?.replaceChildren(t.reconnecting);
    this.el.title.textContent = t.connecting;
    this.count = new CountAnimator((value, rising) => {
      this.el.count.textContent = this.number.format(value);
      this.el.count.dataset.value = String(value);
      // One pulse per 600 ms at most: a flood of joins should glow, not flicker.
      if (rising && Date.now() - this.lastPulse > 600) this.pulse(this.el.count);
    });
    this.countdown = new Countdown((left, text) => {
      this.el.countdown.textContent = left === null ? '' : text;
      this.el.countdown.dataset.remaining = left === null ? '' : String(Math.ceil(left / 1000));
      this.el.countdownLabel.textContent = left === 0 ? t.timeUp : this.untilLabel;
    }, clockOffsetMs);
  }

  show(view: GiveawaySnapshot): void {
    const { t } = this;
    this.el.title.textContent = view.title;
    this.status = view.status;
    this.badge();
    this.count.set(view.participants_count);
    const items = view.prizes.map((p) => {
      const li = document.createElement('li');
      li.textContent = p.quantity > 1 ? `${p.title} ×${this.number.format(p.quantity)}` : p.title;
      return li;
    });
    this.el.prizes.replaceChildren(...items);
    const starts = view.status === 'scheduled';
    this.untilLabel = starts ? t.startsIn : t.endsIn;
    if (starts || view.status === 'active') this.countdown.to(starts ? view.started_at : view.ends_at);
    // Entries closed (on time or early): the server's word beats a lagging local clock.
    else if (view.status !== 'cancelled') this.countdown.finish();
    else this.countdown.to(null);
  }

  watchers(count: number): void {
    this.el.watchers.textContent = this.number.format(count);
    this.el.watchers.dataset.value = String(count);
    this.el.watchersBox.hidden = false; // Hidden until the first presence report: no placeholder dash on stream.
  }

  proof(commitment: string | null, beaconRound: number | null, verifyUrl: string | null): void {
    this.el.commitment.textContent = commitment ? `${commitment.slice(0, 16)}…${commitment.slice(-8)}` : '';
    this.el.beacon.textContent = beaconRound === null ? '' : `${this.t.beaconRound} ${beaconRound}`;
    this.el.commitment.title = commitment ?? '';
    this.el.commitment.dataset.full = commitment ?? '';
    this.el.verifyUrl.textContent = verifyUrl ? verifyUrl.replace(/^https?:\/\//, '') : '';
    if (verifyUrl && verifyUrl !== this.qrFor && !this.opts.hide.has('qr')) {
      this.qrFor = verifyUrl;
      this.el.qr.replaceChildren(qrSvg(verifyUrl));
    }
  }

  phase(phase: Phase, noWinners: boolean): void {
    this.root.dataset.phase = phase;
    this.badge();
    this.el.empty.hidden = !noWinners;
    if (phase === 'missing') this.el.title.textContent = this.t.notFound;
  }

  connection(state: Connection): void {
    this.root.dataset.connection = state;
    clearTimeout(this.badgeTimer);
    // Before anything was shown the title already says "Connecting…"; the badge is for a shown giveaway.
    if (state === 'live' || state === 'missing' || !this.status) {
      this.el.connection.hidden = true;
      return;
    }
    this.badgeTimer = setTimeout(() => (this.el.connection.hidden = false), BADGE_DELAY_MS);
  }

  /** The status badge; "Drawing" until the reveal is over, though the giveaway is already completed. */
  private badge(): void {
    const status =
      this.root.dataset.phase === 'drawing' && this.status === 'completed' ? 'pending' : this.status;
    this.el.status.textContent = status ? (this.t.statuses[status] ?? status) : '';
    this.el.status.dataset.status = status;
  }

  private pulse(node: HTMLElement): void {
    this.lastPulse = Date.now();
    node.classList.remove('pulse');
    void node.offsetWidth; // Restart the CSS animation.
    node.classList.add('pulse');
  }
}
