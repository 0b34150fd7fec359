// REST edge of closing and drawing (under /api/v1 behind auth): the proof and entrant list, inclusion proofs,
// rerolls, claims and their extension, and the Mini App's manual-winners operations (mini-app-api §3.12–3.14, §3.21).
import { PreviewFields } from '../../schema/contract/draws.ts';
import { principalOf } from '../auth/index.ts';
import { defineHandlers } from '../platform/http/operation-router.ts';
import { parseInput } from '../platform/http/validate.ts';
import type { Draws } from './build-draws.ts';
import { candidateText, readCandidateUpload, uploadField } from './manual-winners/index.ts';
import { sendEntrants, sendInclusion } from './proof-handlers.ts';

export type DrawRoutesService = Pick<Draws, 'proofs' | 'rerolls' | 'manualWinners' | 'claims'>;

export type DrawsOperationId =
  | 'previewManualCandidates'
  | 'getProof'
  | 'listEntrants'
  | 'getInclusionProof'
  | 'getInclusion'
  | 'rerollWinner'
  | 'claimGiveaway'
  | 'extendClaim'
  | 'uploadManualCandidates'
  | 'listLoadedWinners'
  | 'clearLoadedWinners';

export function drawsHandlers({ proofs, rerolls, manualWinners, claims }: DrawRoutesService) {
  return defineHandlers<DrawsOperationId>()({
    previewManualCandidates: {
      use: [readCandidateUpload],
      handle: async (_input, req, res) => {
        // A form field, or the query string for text/plain uploads.
        const { giveaway_id } = parseInput(
          PreviewFields,
          { giveaway_id: uploadField(req, 'giveaway_id') },
          'body',
        );
        res.json(await manualWinners.preview(principalOf(req), candidateText(req), giveaway_id));
      },
    },
    getProof: async ({ params }, _req, res) => {
      res.json(await proofs.getProof(params.id));
    },
    listEntrants: ({ params, query }, _req, res) => sendEntrants(proofs, res, params.id, query),
    getInclusionProof: async ({ params, query }, req, res) => {
      res.json(await proofs.inclusionProof(params.id, query.user_id ?? principalOf(req).userId));
    },
    getInclusion: ({ params }, _req, res) => sendInclusion(proofs, res, params),
    rerollWinner: async ({ params, body }, req, res) => {
      res.json(await rerolls.reroll(principalOf(req), params.id, params.place, body));
    },
    claimGiveaway: async ({ params }, req, res) => {
      res.json(await claims.claim(principalOf(req), params.id));
    },
    extendClaim: async ({ params, body }, req, res) => {
      res.json(await claims.extend(principalOf(req), params.id, params.place, body));
    },
    // The id is validated before the upload is read (the router checks params first).
    uploadManualCandidates: {
      use: [readCandidateUpload],
      handle: async ({ params }, req, res) => {
        res.json(await manualWinners.upload(principalOf(req), params.id, candidateText(req)));
      },
    },
    listLoadedWinners: async ({ params }, req, res) => {
      res.json(await manualWinners.list(principalOf(req), params.id));
    },
    clearLoadedWinners: async ({ params }, req, res) => {
      await manualWinners.clear(principalOf(req), params.id);
      res.status(204).end();
    },
  });
}
