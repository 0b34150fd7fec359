// Writers shared by the authenticated (/api/v1) and public (/api/public) proof operations: the entrant list as
// keyset pages or one NDJSON stream, and an entrant's inclusion proof.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { EntrantsQuery } from '../../schema/contract/draws.ts';
import type { DrawProofs } from './proofs/index.ts';

export type ProofReader = Pick<
  DrawProofs,
  'getProof' | 'getCommitment' | 'listEntrants' | 'streamEntrants' | 'inclusionProof'
>;

export async function sendEntrants(
  draws: ProofReader,
  res: Response,
  id: string,
  { format, cursor, limit }: EntrantsQuery,
  cacheControl?: string,
): Promise<void> {
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
}

export async function sendInclusion(
  draws: ProofReader,
  res: Response,
  params: { id: string; user_id: number },
  cacheControl?: string,
): Promise<void> {
  const proof = await draws.inclusionProof(params.id, params.user_id);
  if (cacheControl) res.setHeader('Cache-Control', cacheControl);
  res.json(proof);
}

/** Backpressure-aware; a client that goes away stops the reads. Headers are sent, so a late failure can only cut. */
async function stream(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  try {
    await pipeline(Readable.from(chunks), res);
  } catch {
    res.destroy();
  }
}
