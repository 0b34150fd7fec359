// The closed list of webhook event types an endpoint can subscribe to. Plain data without zod, so the SDK's
// webhooks entry point can share it without carrying a schema library.
export const WEBHOOK_EVENT_TYPES = [
  'giveaway.created',
  'giveaway.status_changed',
  'giveaway.participants',
  'giveaway.drawn',
  'giveaway.winner_changed',
  'giveaway.claimed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
