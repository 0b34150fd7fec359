// HTTP operations of giveaways (the Mini App's /api/v1 surface): parsed input → service → respond.
import type { Request, Response } from 'express';
import type { ListQuery } from '../../schema/contract/index.ts';
import { principalOf } from '../auth/index.ts';
import type { JoinsService } from '../joins/index.ts';
import { defineHandlers } from '../platform/http/operation-router.ts';
import type { GiveawaysService, ListKind } from './giveaways.service.ts';

export interface GiveawaysHandlersDeps {
  giveaways: GiveawaysService;
  joins: JoinsService;
  checkRequirements(giveawayId: string, userId: number): Promise<unknown>;
}

export type GiveawaysOperationId =
  | 'createGiveaway'
  | 'listGiveaways'
  | 'listMyGiveaways'
  | 'listMyActiveGiveaways'
  | 'listMyFinishedGiveaways'
  | 'listMyParticipations'
  | 'listMyParticipationHistory'
  | 'listCreatorGiveaways'
  | 'listCreatorFinishedGiveaways'
  | 'getGiveaway'
  | 'updateGiveaway'
  | 'deleteGiveaway'
  | 'setGiveawayStatus'
  | 'cancelGiveaway'
  | 'recreateGiveaway'
  | 'joinGiveaway'
  | 'addTickets'
  | 'checkRequirements';

export function giveawaysHandlers(deps: GiveawaysHandlersDeps) {
  const { giveaways, joins } = deps;

  const list =
    (kind: ListKind) =>
    async (
      input: { query: ListQuery; params?: { creator_id: number } | undefined },
      req: Request,
      res: Response,
    ) => {
      const { items, nextCursor } = await giveaways.list(
        principalOf(req),
        kind,
        input.query,
        input.params?.creator_id,
      );
      if (nextCursor) res.setHeader('X-Next-Cursor', nextCursor);
      res.json(items);
    };

  return defineHandlers<GiveawaysOperationId>()({
    createGiveaway: async ({ body }, req, res) => {
      const view = await giveaways.create(principalOf(req), body);
      res.status(201).json({ ...view, msg_id: view.msg_id ?? null });
    },
    listGiveaways: list('top'),
    listMyGiveaways: list('me/all'),
    listMyActiveGiveaways: list('me/active'),
    listMyFinishedGiveaways: list('me/history'),
    listMyParticipations: list('me/participated'),
    listMyParticipationHistory: list('me/participation/history'),
    listCreatorGiveaways: list('creator'),
    listCreatorFinishedGiveaways: list('creator/finished'),
    getGiveaway: async ({ params }, req, res) => {
      res.json(await giveaways.get(principalOf(req), params.id));
    },
    updateGiveaway: async ({ params, body }, req, res) => {
      res.json(await giveaways.update(principalOf(req), params.id, body));
    },
    deleteGiveaway: async ({ params }, req, res) => {
      await giveaways.remove(principalOf(req), params.id);
      res.status(204).end();
    },
    setGiveawayStatus: async ({ params, body }, req, res) => {
      res.json(await giveaways.setStatus(principalOf(req), params.id, body.status));
    },
    cancelGiveaway: async ({ params }, req, res) => {
      res.json(await giveaways.cancel(principalOf(req), params.id));
    },
    recreateGiveaway: async ({ params }, req, res) => {
      res.status(201).json(await giveaways.recreate(principalOf(req), params.id));
    },
    joinGiveaway: async ({ params }, req, res) => {
      const status = await joins.join(principalOf(req), params.id, 'api');
      res.json({ status });
    },
    addTickets: async ({ params, body }, req, res) => {
      res.json(await giveaways.addTickets(principalOf(req), params.id, body.user_id, body.ticket_count));
    },
    checkRequirements: async ({ params }, req, res) => {
      await giveaways.get(undefined, params.id); // 404 for unknown ids
      res.json(await deps.checkRequirements(params.id, principalOf(req).userId));
    },
  });
}
