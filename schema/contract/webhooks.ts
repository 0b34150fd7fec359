// Wire shapes of webhooks: endpoint registration per API key, secret rotation, the delivery log. The event
// bodies themselves are described in docs/webhooks.md and typed in the SDK (`@giveaway/client-sdk/webhooks`).
import { z } from 'zod';
import { multilineText } from './text.ts';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types.ts';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event-types.ts';

export const CreateWebhookBody = z.object({
  url: z.string().min(8).max(2000),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
  description: multilineText(200).optional(),
});
export type CreateWebhookBody = z.output<typeof CreateWebhookBody>;

export const WebhookEnabledBody = z.object({ enabled: z.boolean() });
export const WebhookIdParam = z.object({ id: z.uuid() });
export const WebhookDeliveryParams = z.object({
  id: z.uuid(),
  deliveryId: z.string().regex(/^msg_[0-9a-f]{32}$/),
});
export const WebhookDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.coerce.number().int().positive().optional(),
});

const iso = z.string().describe('ISO 8601');

export const WebhookEndpointResponse = z.looseObject({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable(),
  disabled_at: iso.nullable(),
  failing_since: iso.nullable(),
  previous_secret_expires_at: iso.nullable().describe('Set while a rotated-out secret still signs'),
  created_at: iso,
});
export const WebhookEndpointWithSecretResponse = WebhookEndpointResponse.extend({
  secret: z.string().describe('whsec_…: returned only on creation and rotation'),
});
export const WebhookEndpointListResponse = z.looseObject({ items: z.array(WebhookEndpointResponse) });

export const WebhookDeliveryLogResponse = z.looseObject({
  items: z.array(
    z.looseObject({
      id: z.string().describe('The webhook-id header (receivers deduplicate on it)'),
      event_id: z.number().int(),
      event_type: z.string(),
      giveaway_id: z.string().nullable(),
      status: z.string(),
      attempts: z.number().int(),
      next_attempt_at: iso.nullable(),
      last_attempt_at: iso.nullable(),
      last_status: z.number().int().nullable(),
      last_error: z.string().nullable(),
      delivered_at: iso.nullable(),
      created_at: iso,
    }),
  ),
  next_before: z.number().int().nullable().describe('Pass as `before` for the next page'),
});
