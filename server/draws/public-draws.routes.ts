// Public proof operations (under /api/public, no auth): once a giveaway is drawn its proof bundle, entrant
// list and inclusion proofs are public data (draw protocol §5), and before that its commitment is. The verifier
// CLI and the /verify page read these.
import { defineHandlers } from '../platform/http/operation-router.ts';
import type { Draws } from './build-draws.ts';
import { sendEntrants, sendInclusion } from './proof-handlers.ts';

/** Entrants never change once drawn; the bundle changes only by an appended reroll. */
const IMMUTABLE = 'public, max-age=3600';
const SHORT = 'public, max-age=5';

export type PublicDrawsOperationId =
  'getPublicCommitment' | 'getPublicProof' | 'listPublicEntrants' | 'getPublicInclusion' | 'getPublicClaims';

export function publicDrawsHandlers({ proofs, claims }: Pick<Draws, 'proofs' | 'claims'>) {
  return defineHandlers<PublicDrawsOperationId>()({
    getPublicCommitment: async ({ params }, _req, res) => {
      const commitment = await proofs.getCommitment(params.id);
      res.setHeader('Cache-Control', SHORT);
      res.json(commitment);
    },
    getPublicProof: async ({ params }, _req, res) => {
      const bundle = await proofs.getProof(params.id);
      res.setHeader('Cache-Control', SHORT);
      res.json(bundle);
    },
    listPublicEntrants: ({ params, query }, _req, res) =>
      sendEntrants(proofs, res, params.id, query, IMMUTABLE),
    getPublicInclusion: ({ params }, _req, res) => sendInclusion(proofs, res, params, IMMUTABLE),
    getPublicClaims: async ({ params }, _req, res) => {
      const places = await claims.places(params.id);
      res.setHeader('Cache-Control', SHORT);
      res.json(places);
    },
  });
}
