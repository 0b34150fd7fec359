// The webhook event types (declared in schema/contract/webhooks.ts) and the body every delivery carries.
import type { WebhookEventType } from '../../schema/contract/webhooks.ts';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../schema/contract/webhooks.ts';

/** Events the database captures by itself; the others are published by services through publishWebhookEvent. */
export type PublishedEventType = Extract<WebhookEventType, 'giveaway.winner_changed' | 'giveaway.claimed'>;

/**
 * The JSON body, as the Standard Webhooks spec recommends ({type, timestamp, data}). `timestamp` is when the
 * event happened, so the body is byte-identical on every attempt; the webhook-timestamp header is per attempt.
 */
export function webhookBody(event: { type: string; created_at: Date; payload: unknown }): string {
  return JSON.stringify({ type: event.type, timestamp: event.created_at.toISOString(), data: event.payload });
}
