// REST edge of closing and drawing (mounted under /api/v1 behind auth): the proof and entrant list, inclusion
// proofs, rerolls, and the Mini App's manual-winners routes (mini-app-api §3.12–3.14, §3.21).
import { Router } from 'express';
import {
  DrawGiveawayParams,
  InclusionQuery,
  PreviewFields,
  RerollBody,
  RerollParams,
} from '../../schema/contract/draws.ts';
import { principalOf } from '../auth/index.ts';
import { parseInput } from '../platform/http/validate.ts';
import { candidateText, readCandidateUpload, uploadField } from './candidate-upload.ts';
import type { DrawService } from './draws.service.ts';
import { entrantsHandler, inclusionHandler, type ProofReader } from './proof-handlers.ts';

export type DrawRoutesService = ProofReader &
  Pick<
    DrawService,
    'reroll' | 'uploadCandidates' | 'previewCandidates' | 'listLoadedWinners' | 'clearLoadedWinners'
  >;

export function drawsRoutes(draws: DrawRoutesService): Router {
  const router = Router();
  const idOf = (params: unknown) => parseInput(DrawGiveawayParams, params, 'path').id;

  // Static path first, so `manual-candidates` is never read as a giveaway id.
  router.post('/giveaways/manual-candidates/preview', readCandidateUpload, async (req, res) => {
    const { giveaway_id } = parseInput(
      PreviewFields,
      { giveaway_id: uploadField(req, 'giveaway_id') },
      'body',
    );
    res.json(await draws.previewCandidates(principalOf(req), candidateText(req), giveaway_id));
  });

  router.get('/giveaways/:id/proof', async (req, res) => {
    res.json(await draws.getProof(idOf(req.params)));
  });

  router.get('/giveaways/:id/entrants', entrantsHandler(draws));

  router.get('/giveaways/:id/inclusion-proof', async (req, res) => {
    const id = idOf(req.params);
    const { user_id } = parseInput(InclusionQuery, req.query, 'query');
    res.json(await draws.inclusionProof(id, user_id ?? principalOf(req).userId));
  });

  router.get('/giveaways/:id/inclusion/:user_id', inclusionHandler(draws));

  router.post('/giveaways/:id/winners/:place/reroll', async (req, res) => {
    const { id, place } = parseInput(RerollParams, req.params, 'path');
    const body = parseInput(RerollBody, req.body ?? {}, 'body');
    res.json(await draws.reroll(principalOf(req), id, place, body));
  });

  router.post(
    '/giveaways/:id/manual-candidates',
    (req, _res, next) => {
      idOf(req.params); // A bad id is refused before the body is read.
      next();
    },
    readCandidateUpload,
    async (req, res) => {
      res.json(await draws.uploadCandidates(principalOf(req), idOf(req.params), candidateText(req)));
    },
  );

  router.get('/giveaways/:id/list-loaded-winners', async (req, res) => {
    res.json(await draws.listLoadedWinners(principalOf(req), idOf(req.params)));
  });

  router.delete('/giveaways/:id/loaded-winners', async (req, res) => {
    await draws.clearLoadedWinners(principalOf(req), idOf(req.params));
    res.status(204).end();
  });

  return router;
}
