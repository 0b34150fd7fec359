// HTTP routes of giveaways (the Mini App's /api/v1 surface): parse → service → respond.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  CreateGiveawayBody,
  GiveawayIdParam,
  ListQuery,
  StatusBody,
  TicketsBody,
  UpdateGiveawayBody,
} from '../../schema/contract/index.ts';
import { principalOf } from '../auth/index.ts';
import type { JoinsService } from '../joins/index.ts';
import { parseInput } from '../platform/http/validate.ts';
import type { GiveawaysService, ListKind } from './giveaways.service.ts';

export interface GiveawaysRoutesDeps {
  giveaways: GiveawaysService;
  joins: JoinsService;
  checkRequirements(giveawayId: string, userId: number): Promise<unknown>;
}

const CreatorParam = z.object({ creator_id: z.coerce.number().int().positive() });
const idOf = (req: Request) => parseInput(GiveawayIdParam, req.params, 'path').id;

export function giveawaysRoutes(deps: GiveawaysRoutesDeps): Router {
  const { giveaways, joins } = deps;
  const router = Router();

  const list =
    (kind: ListKind, creator = false) =>
    async (req: Request, res: Response) => {
      const query = parseInput(ListQuery, req.query, 'query');
      const creatorId = creator ? parseInput(CreatorParam, req.params, 'path').creator_id : undefined;
      const { items, nextCursor } = await giveaways.list(principalOf(req), kind, query, creatorId);
      if (nextCursor) res.setHeader('X-Next-Cursor', nextCursor);
      res.json(items);
    };

  router.post('/giveaways', async (req, res) => {
    const body = parseInput(CreateGiveawayBody, req.body, 'body');
    const view = await giveaways.create(principalOf(req), body);
    res.status(201).json({ ...view, msg_id: view.msg_id ?? null });
  });
  router.get('/giveaways', list('top'));
  // Static segments before /:id, so "me" is never read as an id.
  router.get('/giveaways/me/all', list('me/all'));
  router.get('/giveaways/me/active', list('me/active'));
  router.get('/giveaways/me/history', list('me/history'));
  router.get('/giveaways/me/participated', list('me/participated'));
  router.get('/giveaways/me/participation/history', list('me/participation/history'));
  router.get('/users/:creator_id/giveaways', list('creator', true));
  router.get('/users/:creator_id/giveaways/finished', list('creator/finished', true));

  router.get('/giveaways/:id', async (req, res) => {
    res.json(await giveaways.get(principalOf(req), idOf(req)));
  });
  router.put('/giveaways/:id', async (req, res) => {
    const body = parseInput(UpdateGiveawayBody, req.body, 'body');
    res.json(await giveaways.update(principalOf(req), idOf(req), body));
  });
  router.delete('/giveaways/:id', async (req, res) => {
    await giveaways.remove(principalOf(req), idOf(req));
    res.status(204).end();
  });
  router.patch('/giveaways/:id/status', async (req, res) => {
    const { status } = parseInput(StatusBody, req.body, 'body');
    res.json(await giveaways.setStatus(principalOf(req), idOf(req), status));
  });
  router.post('/giveaways/:id/cancel', async (req, res) => {
    res.json(await giveaways.cancel(principalOf(req), idOf(req)));
  });
  router.post('/giveaways/:id/recreate', async (req, res) => {
    res.status(201).json(await giveaways.recreate(principalOf(req), idOf(req)));
  });
  router.post('/giveaways/:id/join', async (req, res) => {
    const status = await joins.join(principalOf(req), idOf(req), 'api');
    res.json({ status });
  });
  router.post('/giveaways/:id/tickets', async (req, res) => {
    const { user_id, ticket_count } = parseInput(TicketsBody, req.body, 'body');
    res.json(await giveaways.addTickets(principalOf(req), idOf(req), user_id, ticket_count));
  });
  router.get('/giveaways/:id/check-requirements', async (req, res) => {
    const id = idOf(req);
    await giveaways.get(undefined, id); // 404 for unknown ids
    res.json(await deps.checkRequirements(id, principalOf(req).userId));
  });
  return router;
}
