// HTTP routes of notifications (under /api/v1, behind auth): the owner's per-recipient delivery status and
// the share message for Telegram.WebApp.shareMessage.
import { Router } from 'express';
import { GiveawayIdParam } from '../../schema/contract/giveaways.ts';
import { principalOf } from '../auth/index.ts';
import { parseInput } from '../platform/http/validate.ts';
import type { NotificationsService } from './notifications.service.ts';
import type { ShareService } from './share.service.ts';

export function notificationsRoutes(deps: {
  notifications: NotificationsService;
  share: ShareService;
}): Router {
  const router = Router();
  router.get('/giveaways/:id/notifications', async (req, res) => {
    const { id } = parseInput(GiveawayIdParam, req.params, 'path');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.notifications.list(principalOf(req), id));
  });
  // No body: the Mini App posts nothing (and axios then sends no Content-Type).
  router.post('/giveaways/:id/prepare-message', async (req, res) => {
    const { id } = parseInput(GiveawayIdParam, req.params, 'path');
    res.json(await deps.share.prepare(principalOf(req), id));
  });
  return router;
}
