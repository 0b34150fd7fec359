// Receiving the server's webhooks: verifyWebhook checks a delivery's Standard Webhooks signature and
// timestamp with the spec's own library, and optionally refuses a webhook-id already seen (replays within
// the 5-minute timestamp tolerance). A separate entry point (`@giveaway/client-sdk/webhooks`), so the
// browser bundle of the main client does not carry it.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { WebhookEventType } from './contract.ts';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './contract.ts';

type GiveawayStatus = 'scheduled' | 'active' | 'pending' | 'completed' | 'cancelled';

/** The `data` of each event type. */
export interface WebhookEventData {
  'giveaway.created': {
    giveaway_id: string;
    title: string;
    status: GiveawayStatus;
    starts_at: string;
    ends_at: string;
    winners_count: number;
    creator_id: number;
  };
  'giveaway.status_changed': {
    giveaway_id: string;
    previous_status: GiveawayStatus;
    status: GiveawayStatus;
    participants_count: number;
  };
  /** Coalesced: a receiver may see only the latest of several counts. */
  'giveaway.participants': { giveaway_id: string; participants_count: number };
  'giveaway.drawn': {
    giveaway_id: string;
    participants_count: number;
    winners: Array<{ place: number; user_id: number }>;
  };
  'giveaway.winner_changed': {
    giveaway_id: string;
    place: number;
    previous_user_id: number | null;
    user_id: number | null;
    reason: string;
  };
  'giveaway.claimed': { giveaway_id: string; place: number; user_id?: number };
}

export type WebhookEvent = {
  [K in WebhookEventType]: { type: K; timestamp: string; data: WebhookEventData[K] };
}[WebhookEventType];

/** Plain header objects (Node's IncomingHttpHeaders, Express's req.headers) or a fetch Headers. */
export type WebhookHeaders =
  { get(name: string): string | null } | Record<string, string | readonly string[] | undefined>;

export interface VerifyWebhookOptions {
  /**
   * Remembers webhook-ids already accepted (a Set, or a store of your own with the same two methods):
   * a delivery whose id was seen is refused as a replay. Use one that lives at least 5 minutes.
   */
  seen?: { has(id: string): boolean; add(id: string): unknown };
}

export class WebhookVerifyError extends Error {
  constructor(
    message: string,
    readonly reason: 'headers' | 'signature' | 'replay',
  ) {
    super(message);
    this.name = 'WebhookVerifyError';
  }
}

const NAMES = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/**
 * Verifies one delivery and returns its event. `body` must be the raw request body, exactly as received
 * (not re-serialised JSON). `secret` is the endpoint's `whsec_…` secret; pass two during your own rotation.
 * Throws WebhookVerifyError on missing headers, a bad signature, a timestamp off by more than 5 minutes, or
 * (with `options.seen`) a replayed webhook-id.
 */
export function verifyWebhook(
  body: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): WebhookEvent {
  const h = {} as Record<(typeof NAMES)[number], string>;
  for (const name of NAMES) {
    const value = readHeader(headers, name);
    if (!value) throw new WebhookVerifyError(`Missing ${name} header`, 'headers');
    h[name] = value;
  }
  const secrets = typeof secret === 'string' ? [secret] : secret;
  let event: unknown;
  let lastError: unknown;
  for (const s of secrets) {
    try {
      event = new Webhook(s).verify(body, h);
      lastError = undefined;
      break;
    } catch (err) {
      lastError = err;
    }
  }
  if (event === undefined) {
    const message = lastError instanceof WebhookVerificationError ? lastError.message : 'Invalid signature';
    throw new WebhookVerifyError(message, 'signature');
  }
  if (options.seen) {
    if (options.seen.has(h['webhook-id'])) {
      throw new WebhookVerifyError(`Replayed delivery ${h['webhook-id']}`, 'replay');
    }
    options.seen.add(h['webhook-id']);
  }
  return event as WebhookEvent;
}

function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function') {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | readonly string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return typeof value === 'string' ? value : value?.[0];
}
