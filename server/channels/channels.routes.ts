// HTTP operations of channels: the creator's channels and the bot-presence probe (under /api/v1, behind auth),
// and the public avatar proxy (under /api/public: plain <img> tags send no init-data).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { principalOf } from '../auth/index.ts';
import { defineHandlers } from '../platform/http/operation-router.ts';
import type { AvatarProxy } from '../platform/telegram/index.ts';
import type { ChannelProbe } from './channel-probe.ts';
import type { ChannelsService } from './channels.service.ts';

export type ChannelsOperationId = 'listMyChannels' | 'checkChannelsBulk' | 'getChannelInfo';

export function channelsHandlers(deps: { channels: ChannelsService; probe: ChannelProbe }) {
  return defineHandlers<ChannelsOperationId>()({
    listMyChannels: async (_input, req, res) => {
      res.setHeader('Cache-Control', 'no-store'); // Polled every 2–5 s while the creator adds the bot.
      res.json(await deps.channels.listForUser(principalOf(req).userId));
    },
    checkChannelsBulk: async ({ body }, _req, res) => {
      res.json(await deps.probe.checkBulk(body));
    },
    getChannelInfo: async ({ params }, _req, res) => {
      res.json(await deps.probe.info(params.username));
    },
  });
}

const ONE_DAY_SEC = 86_400;

export function publicChannelsHandlers(avatars: AvatarProxy) {
  return defineHandlers<'getChannelAvatar'>()({
    getChannelAvatar: async ({ params }, req, res) => {
      const photo = await avatars.resolve(params.chat);
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
    },
  });
}
