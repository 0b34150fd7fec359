// Request handlers shared by the authenticated (/api/v1) and public (/api/public) proof routes: the entrant
// list as keyset pages or one NDJSON stream, and an entrant's inclusion proof by path.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestHandler, Response } from 'express';
import { DrawGiveawayParams, EntrantsQuery, InclusionParams } from '../../schema/contract/draws.ts';
import { parseInput } from '../platform/http/validate.ts';
import type { DrawService } from './draws.service.ts';

export type ProofReader = Pick<
  DrawService,
  'getProof' | 'getCommitment' | 'listEntrants' | 'streamEntrants' | 'inclusionProof'
>;

export function entrantsHandler(draws: ProofReader, cacheControl?: string): RequestHandler {
  return async (req, res) => {
    const { id } = parseInput(DrawGiveawayParams, req.params, 'path');
    const { format, cursor, limit } = parseInput(EntrantsQuery, req.query, 'query');
    if (format !== 'ndjson') {
      const page = await draws.listEntrants(id, { cursor, limit });
      if (cacheControl) res.setHeader('Cache-Control', cacheControl);
      if (page.next_cursor) res.setHeader('X-Next-Cursor', page.next_cursor);
      res.json(page);
      return;
    }
    const chunks = await draws.streamEntrants(id, cursor);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    if (cacheControl) res.setHeader('Cache-Control', cacheControl);
    await stream(res, chunks);
  };
}

export function inclusionHandler(draws: ProofReader, cacheControl?: string): RequestHandler {
  return async (req, res) => {
    const { id, user_id } = parseInput(InclusionParams, req.params, 'path');
    const proof = await draws.inclusionProof(id, user_id);
    if (cacheControl) res.setHeader('Cache-Control', cacheControl);
    res.json(proof);
  };
}

/** Backpressure-aware; a client that goes away stops the reads. Headers are sent, so a late failure can only cut. */
async function stream(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  try {
    await pipeline(Readable.from(chunks), res);
  } catch {
    res.destroy();
  }
}
