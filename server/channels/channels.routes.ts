// HTTP routes of channels: the creator's channels and the bot-presence probe (under /api/v1, behind auth),
// and the public avatar proxy (under /api/public: plain <img> tags send no init-data).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { AvatarChatParam, ChannelUsernameParam, CheckBulkBody } from '../../schema/contract/telegram.ts';
import { principalOf } from '../auth/index.ts';
import { parseInput } from '../platform/http/validate.ts';
import type { AvatarProxy } from './avatar-proxy.ts';
import type { ChannelProbe } from './channel-probe.ts';
import type { ChannelsService } from './channels.service.ts';

export function channelsRoutes(deps: { channels: ChannelsService; probe: ChannelProbe }): Router {
  const router = Router();
  router.get('/users/me/channels', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store'); // Polled every 2–5 s while the creator adds the bot.
    res.json(await deps.channels.listForUser(principalOf(req).userId));
  });
  router.post('/requirements/channels/check-bulk', async (req, res) => {
    const body = parseInput(CheckBulkBody, req.body ?? {}, 'body');
    res.json(await deps.probe.checkBulk(body));
  });
  router.get('/channels/:username/info', async (req, res) => {
    const { username } = parseInput(ChannelUsernameParam, req.params, 'path');
    res.json(await deps.probe.info(username));
  });
  return router;
}

const ONE_DAY_SEC = 86_400;

export function publicChannelsRoutes(avatars: AvatarProxy): Router {
  const router = Router();
  router.get('/channels/:chat/avatar', async (req, res) => {
    const { chat } = parseInput(AvatarChatParam, req.params, 'path');
    const photo = await avatars.resolve(chat);
    const etag = `"${photo.uniqueId}"`;
    // Cache headers only on success: a CDN must not keep a 404/503 for a day.
    const cacheable = () => {
      res.setHeader('Cache-Control', `public, max-age=${ONE_DAY_SEC}`);
      res.setHeader('ETag', etag);
    };
    if (req.header('if-none-match') === etag) {
      cacheable();
      res.status(304).end();
      return;
    }
    const image = await avatars.open(photo);
    cacheable();
    res.setHeader('Content-Type', image.contentType);
    if (image.contentLength) res.setHeader('Content-Length', image.contentLength);
    // A client that goes away mid-stream only ends this pipeline; nothing to report.
    await pipeline(Readable.fromWeb(image.body), res).catch(() => undefined);
  });
  return router;
}
