// Public proof routes (mounted under /api/public, no auth): once a giveaway is drawn its proof bundle, entrant
// list and inclusion proofs are public data (draw protocol §5), and before that its commitment is. The verifier
// CLI and the /verify page read these.
import { Router } from 'express';
import { DrawGiveawayParams } from '../../schema/contract/draws.ts';
import { parseInput } from '../platform/http/validate.ts';
import { entrantsHandler, inclusionHandler, type ProofReader } from './proof-handlers.ts';

/** Entrants never change once drawn; the bundle changes only by an appended reroll. */
const IMMUTABLE = 'public, max-age=3600';
const SHORT = 'public, max-age=5';

export function publicDrawsRoutes(draws: ProofReader): Router {
  const router = Router();
  const idOf = (params: unknown) => parseInput(DrawGiveawayParams, params, 'path').id;

  router.get('/giveaways/:id/commitment', async (req, res) => {
    const commitment = await draws.getCommitment(idOf(req.params));
    res.setHeader('Cache-Control', SHORT);
    res.json(commitment);
  });

  router.get('/giveaways/:id/proof', async (req, res) => {
    const bundle = await draws.getProof(idOf(req.params));
    res.setHeader('Cache-Control', SHORT);
    res.json(bundle);
  });

  router.get('/giveaways/:id/entrants', entrantsHandler(draws, IMMUTABLE));
  router.get('/giveaways/:id/inclusion/:user_id', inclusionHandler(draws, IMMUTABLE));
  return router;
}
