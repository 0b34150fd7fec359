// Proof serving (draw protocol §5): the published bundle, what was committed before the draw, the canonical
// entrant list beside the proof (pages or one NDJSON stream) and an entrant's inclusion proof.
import type pg from 'pg';
import type {
  DrawCommitmentResponse,
  EntrantsPage,
  InclusionProofResponse,
} from '../../../schema/contract/draws.ts';
import { AppError } from '../../platform/errors.ts';
import type { FrozenEntrantsStore } from '../entrants/index.ts';
import { findEntrantIndex, inclusionProof, type ProofBundle } from '../protocol/index.ts';
import { entrantsNdjson } from './entrants-ndjson.ts';
import {
  proofExists,
  selectCommitmentSummary,
  selectEntrantsPage,
  selectProofBundle,
} from './proofs.queries.ts';

export class DrawProofs {
  constructor(private readonly deps: { pool: pg.Pool; frozen: FrozenEntrantsStore }) {}

  /** The published bundle; NOT_FOUND until the draw is done (the server seed stays secret before that). */
  async getProof(giveawayId: string): Promise<ProofBundle> {
    const bundle = await selectProofBundle(this.deps.pool, giveawayId);
    if (!bundle) throw new AppError('NOT_FOUND', 'This giveaway has not been drawn yet.');
    return bundle;
  }

  /** What was published before the draw: seed commitment, beacon round, and from close the entrant root. */
  async getCommitment(giveawayId: string): Promise<DrawCommitmentResponse> {
    const summary = await selectCommitmentSummary(this.deps.pool, giveawayId);
    if (!summary) throw new AppError('NOT_FOUND', 'No such giveaway, or it has no draw commitment.');
    return summary;
  }

  /** Canonical entrant list beside the proof, keyset-paged on user_id. */
  async listEntrants(
    giveawayId: string,
    page: { cursor?: string | undefined; limit?: number | undefined } = {},
  ): Promise<EntrantsPage> {
    await this.assertDrawn(giveawayId);
    const limit = Math.min(Math.max(page.limit ?? 1000, 1), 1000);
    const after = page.cursor === undefined ? 0 : Number(page.cursor);
    const rows = await selectEntrantsPage(this.deps.pool, giveawayId, after, limit + 1);
    const entrants = rows.slice(0, limit);
    const last = entrants[entrants.length - 1];
    return { entrants, next_cursor: rows.length > limit && last ? String(last.user_id) : null };
  }

  /**
   * The whole canonical list as NDJSON chunks (`{"user_id":…,"weight":…}` per line), read in keyset slices so a
   * million entrants stream in bounded memory. Checked before the first chunk, so errors are still coded.
   */
  async streamEntrants(giveawayId: string, after?: string): Promise<AsyncIterable<string>> {
    await this.assertDrawn(giveawayId);
    return entrantsNdjson(this.deps.pool, giveawayId, after ?? '0');
  }

  private async assertDrawn(giveawayId: string): Promise<void> {
    if (!(await proofExists(this.deps.pool, giveawayId))) {
      throw new AppError('NOT_FOUND', 'This giveaway has not been drawn yet.');
    }
  }

  /** One entrant's Merkle path to the published entrants_root (draw protocol §2). */
  async inclusionProof(giveawayId: string, userId: number): Promise<InclusionProofResponse> {
    const bundle = await this.getProof(giveawayId);
    // Drawn giveaways never change their entrants, so the tree is built once and kept for the next caller.
    const entrants = await this.deps.frozen.get(giveawayId);
    const index = findEntrantIndex(entrants, userId);
    if (index < 0) throw new AppError('NOT_FOUND', 'This user is not an entrant of the draw.');
    const proof = inclusionProof(entrants.tree, index);
    return {
      giveaway_id: giveawayId,
      user_id: userId,
      weight: entrants.weights[index] ?? 0,
      index,
      leaf: proof.leaf,
      siblings: [...proof.siblings],
      entrants_root: bundle.entrants_root,
      entrants_count: entrants.count,
    };
  }
}
