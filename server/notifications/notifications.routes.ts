// HTTP operations of notifications (under /api/v1, behind auth): the owner's per-recipient delivery status
// and the share message for Telegram.WebApp.shareMessage.
import { principalOf } from '../auth/index.ts';
import { defineHandlers } from '../platform/http/operation-router.ts';
import type { NotificationsService } from './notifications.service.ts';
import type { ShareService } from './share.service.ts';

export type NotificationsOperationId = 'listNotifications' | 'prepareShareMessage';

export function notificationsHandlers(deps: { notifications: NotificationsService; share: ShareService }) {
  return defineHandlers<NotificationsOperationId>()({
    listNotifications: async ({ params }, req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await deps.notifications.list(principalOf(req), params.id));
    },
    // No body: the Mini App posts nothing (and axios then sends no Content-Type).
    prepareShareMessage: async ({ params }, req, res) => {
      res.json(await deps.share.prepare(principalOf(req), params.id));
    },
  });
}
