// The creator's control page: gets a credential (Telegram Mini App init-data, or a pasted API key or init-data),
// asks the API whether the caller owns the giveaway (user_role 'owner'), then builds the overlay URL with a live
// preview. The page itself holds no secret: the check only keeps the setup screen for the creator.
import { createClient } from '../../../client-sdk/src/client.ts';
import type { Credential } from '../../../client-sdk/src/auth.ts';
import { GiveawayError } from '../../../client-sdk/src/errors.ts';
import { PARTS } from './options.ts';

interface ControlConfig {
  giveawayId: string;
  /** The public URL to paste into OBS. */
  overlayUrl: string;
  /** The same page on this origin, for the preview. */
  overlayPath: string;
}

const DEFAULT_ACCENT = '#8b5cf6';
const REFUSED = new Set(['UNAUTHORIZED', 'INIT_DATA_INVALID', 'INIT_DATA_EXPIRED', 'API_KEY_INVALID']);

function must<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`control.html lacks #${id}`);
  return el as T;
}

function readConfig(): ControlConfig {
  const raw = JSON.parse(must('control-config').textContent ?? '{}') as Partial<ControlConfig>;
  return {
    giveawayId: raw.giveawayId ?? '',
    overlayUrl: raw.overlayUrl ?? '',
    overlayPath: raw.overlayPath ?? '',
  };
}

/** Init-data when opened inside Telegram: from its script if a host page loaded it, else from the URL hash. */
function telegramInitData(): string | null {
  const tg = (window as { Telegram?: { WebApp?: { initData?: string } } }).Telegram?.WebApp?.initData;
  return tg || new URLSearchParams(location.hash.slice(1)).get('tgWebAppData') || null;
}

const credentialOf = (text: string): Credential =>
  text.startsWith('gwk_') ? { apiKey: text } : { initData: text };

/** The overlay's query for the form's choices; defaults are left out to keep the URL short. */
export function overlayQuery(form: HTMLFormElement): string {
  const data = new FormData(form);
  const field = (key: string) => {
    const value = data.get(key);
    return typeof value === 'string' ? value : '';
  };
  const q = new URLSearchParams();
  const put = (key: string, fallback: string) => {
    const value = field(key);
    if (value && value !== fallback) q.set(key, value);
  };
  put('layout', 'card');
  put('pos', '');
  put('theme', 'dark');
  const accent = field('accent');
  if (accent && accent !== DEFAULT_ACCENT) q.set('accent', accent.replace('#', ''));
  put('scale', '1');
  put('lang', 'en');
  const hide = data.getAll('hide').map(String);
  if (hide.length > 0) q.set('hide', hide.join(','));
  if (data.get('demo')) q.set('demo', '1');
  const text = q.toString();
  return text ? `?${text}` : '';
}

function main(): void {
  const config = readConfig();
  const signin = must<HTMLFormElement>('signin');
  const input = must<HTMLInputElement>('credential');
  const message = must('message');
  const builder = must('builder');
  const options = must<HTMLFormElement>('options');
  const url = must<HTMLInputElement>('url');
  const preview = must<HTMLIFrameElement>('preview');

  const say = (text: string) => {
    message.textContent = text;
    message.hidden = false;
  };
  for (const part of PARTS) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'hide';
    box.value = part;
    label.append(box, part);
    must('hide-parts').append(label);
  }

  let previewTimer: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    const query = overlayQuery(options);
    url.value = config.overlayUrl + query;
    clearTimeout(previewTimer);
    // Debounced: dragging the size slider should not reload the preview on every step.
    previewTimer = setTimeout(() => (preview.src = config.overlayPath + query), 300);
  };
  const fit = () => {
    const width = preview.parentElement?.clientWidth ?? 0;
    preview.style.transform = `scale(${width / 1920})`;
  };

  const open = async (credential: Credential) => {
    message.hidden = true;
    const client = createClient({ baseUrl: location.origin, auth: credential });
    try {
      const giveaway = await client.giveaways.get(config.giveawayId);
      if (giveaway.user_role !== 'owner') return say("Only the giveaway's creator can set up its overlay.");
      must('giveaway-title').textContent = giveaway.title;
      signin.hidden = true;
      builder.hidden = false;
      fit();
      update();
    } catch (err) {
      if (err instanceof GiveawayError && REFUSED.has(err.code)) say('The server refused this credential.');
      else if (err instanceof GiveawayError && err.code === 'NOT_FOUND') say('There is no such giveaway.');
      else say(`Could not check the giveaway: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      client.close();
    }
  };

  signin.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text) void open(credentialOf(text));
  });
  options.addEventListener('input', update);
  options.addEventListener('change', update);
  must('copy').addEventListener('click', () => {
    url.select();
    navigator.clipboard?.writeText(url.value).catch(() => undefined); // Selected anyway: Ctrl+C works.
  });
  window.addEventListener('resize', fit);
  const fromTelegram = telegramInitData();
  if (fromTelegram) void open({ initData: fromTelegram });
}

main();
