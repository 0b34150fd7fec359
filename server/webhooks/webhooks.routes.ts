// HTTP operations of webhooks (schema/contract/operations); the service requires an API-key principal and
// scopes every endpoint to the key that registered it.
import { principalOf } from '../auth/index.ts';
import { defineHandlers } from '../platform/http/operation-router.ts';
import type { WebhooksService } from './webhooks.service.ts';

export type WebhooksOperationId =
  | 'createWebhook'
  | 'listWebhooks'
  | 'getWebhook'
  | 'deleteWebhook'
  | 'rotateWebhookSecret'
  | 'setWebhookEnabled'
  | 'listWebhookDeliveries'
  | 'redeliverWebhook';

export function webhooksHandlers(service: WebhooksService) {
  return defineHandlers<WebhooksOperationId>()({
    createWebhook: async ({ body }, req, res) => {
      res.status(201).json(await service.create(principalOf(req), body));
    },
    listWebhooks: async (_input, req, res) => {
      res.json({ items: await service.list(principalOf(req)) });
    },
    getWebhook: async ({ params }, req, res) => {
      res.json(await service.get(principalOf(req), params.id));
    },
    deleteWebhook: async ({ params }, req, res) => {
      await service.remove(principalOf(req), params.id);
      res.status(204).end();
    },
    rotateWebhookSecret: async ({ params }, req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await service.rotateSecret(principalOf(req), params.id));
    },
    setWebhookEnabled: async ({ params, body }, req, res) => {
      res.json(await service.setEnabled(principalOf(req), params.id, body.enabled));
    },
    listWebhookDeliveries: async ({ params, query }, req, res) => {
      res.json(await service.deliveries(principalOf(req), params.id, query));
    },
    redeliverWebhook: async ({ params }, req, res) => {
      await service.redeliver(principalOf(req), params.id, params.deliveryId);
      res.status(202).json({ ok: true });
    },
  });
}
