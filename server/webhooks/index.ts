// Public surface of webhooks: signed (Standard Webhooks) event deliveries to third-party endpoints registered
// per API key. Events are captured in PostgreSQL (schema/migrations/0008_webhooks.sql) and delivered
// durably through the job queue. Build once with createWebhooks; workers run on worker-role nodes.
import type pg from 'pg';
import type { Logger } from '../platform/index.ts';
import type { JobQueue } from '../platform/jobs/index.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.ts';
import { WebhooksService } from './webhooks.service.ts';

export { WebhooksService, publishWebhookEvent, type EndpointView } from './webhooks.service.ts';
export { webhooksHandlers, type WebhooksOperationId } from './webhooks.routes.ts';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-events.ts';
export { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.ts';
export { blockedReason, checkEndpointUrl, type AddressPolicy } from './address-guard.ts';

export interface WebhooksDeps {
  pool: pg.Pool;
  jobs: Pick<JobQueue, 'enqueue' | 'work'>;
  logger: Logger;
  /** At least the development switches from config.webhooks; the rest default. */
  settings?: Partial<WebhookSettings>;
}

export interface Webhooks {
  service: WebhooksService;
  /** Starts the pump and the job handler (worker role; needs a started JobQueue). */
  startWorkers(): void;
  stopWorkers(): Promise<void>;
}

export function createWebhooks(deps: WebhooksDeps): Webhooks {
  const settings: WebhookSettings = { ...DEFAULT_WEBHOOK_SETTINGS, ...deps.settings };
  const worker = new DeliveryWorker({ pool: deps.pool, jobs: deps.jobs, logger: deps.logger, settings });
  const service = new WebhooksService({
    pool: deps.pool,
    policy: settings,
    rotationOverlapSec: settings.rotationOverlapSec,
    maxEndpointsPerKey: settings.maxEndpointsPerKey,
    nudge: () => worker.nudge(),
  });
  return {
    service,
    startWorkers: () => worker.start(),
    stopWorkers: () => worker.stop(),
  };
}
