// REST methods of draws: the proof, commitment and entrant list (and a one-call verification built on them),
// inclusion proofs, rerolls, and the manual-winners flow. A client without credentials reads the public copies
// under /api/public, which need none.
import type {
  DrawCommitmentResponse,
  Entrant,
  InclusionProofResponse,
  ManualCandidatesResponse,
  OperationId,
  ProofBundleResponse,
  ExtendClaimBody,
  ExtendClaimResult,
  RerollBody,
  RerollResult,
} from '../contract.ts';
import type { Http } from '../http.ts';
import { paginate, type Paginated } from '../paginate.ts';
import type { VerifyReport } from '../verify/report.ts';
import { verifyDraw, type VerifyDrawOptions } from '../verify/verify-draw.ts';

/**
 * A winners list to upload: text (one user id or @username per line) or a file/Blob.
 *
 * @example
 * await client.draws.uploadManualCandidates(id, input.files[0]); // or '123\n@alice'
 */
export type CandidateList = string | Blob;

/**
 * `client.draws`: proofs, entrants, rerolls and manual winners.
 *
 * @example
 * const report = await client.draws.verify(giveawayId);
 * console.log(report.ok ? 'fair draw' : `failed at ${report.failedStep}`);
 */
export interface DrawsApi {
  /** `GET /giveaways/:id/proof`: the bundle as stored. @example const bundle = await client.draws.proof(id) */
  proof(id: string): Promise<ProofBundleResponse>;
  /** `GET /api/public/giveaways/:id/commitment`: what was published before the draw. @example const { seed_commitment } = await client.draws.commitment(id) */
  commitment(id: string): Promise<DrawCommitmentResponse>;
  /** `GET /giveaways/:id/entrants`, page by page. @example for await (const e of client.draws.entrants(id)) count++ */
  entrants(id: string, options?: { limit?: number }): Paginated<Entrant>;
  /** The whole entrant list in one request (`?format=ndjson`), for verifying large draws. @example const all = await client.draws.allEntrants(id) */
  allEntrants(id: string): Promise<Entrant[]>;
  /** An entrant's inclusion proof (default: the caller). @example verifyInclusion(await client.draws.inclusionProof(id), root) */
  inclusionProof(id: string, userId?: number): Promise<InclusionProofResponse>;
  /** Loads the proof and every entrant, then runs verifyDraw. @example const { ok, steps } = await client.draws.verify(id) */
  verify(id: string, options?: VerifyDrawOptions): Promise<VerifyReport>;
  /** `POST /giveaways/:id/winners/:place/reroll` (owner, admin). @example await client.draws.reroll(id, 1, { reason: 'unclaimed' }) */
  reroll(id: string, place: number, body: RerollBody): Promise<RerollResult>;
  /**
   * `POST /giveaways/:id/winners/:place/extend-claim` (owner, admin): moves that holder's claim deadline by
   * `seconds` (default: the giveaway's claim_window), once per holder.
   * @example await client.draws.extendClaim(id, 1, { seconds: 3600 })
   */
  extendClaim(id: string, place: number, body?: ExtendClaimBody): Promise<ExtendClaimResult>;
  /** `POST /giveaways/:id/manual-candidates` (multipart `file`, or text/plain for a string). @example await client.draws.uploadManualCandidates(id, '123\n@alice') */
  uploadManualCandidates(id: string, list: CandidateList): Promise<ManualCandidatesResponse>;
  /** `POST /giveaways/manual-candidates/preview`: check a list without storing it. @example await client.draws.previewManualCandidates(file, id) */
  previewManualCandidates(list: CandidateList, giveawayId?: string): Promise<ManualCandidatesResponse>;
  /** `GET /giveaways/:id/list-loaded-winners`. @example const { results } = await client.draws.loadedWinners(id) */
  loadedWinners(id: string): Promise<ManualCandidatesResponse>;
  /** `DELETE /giveaways/:id/loaded-winners`. @example await client.draws.clearLoadedWinners(id) */
  clearLoadedWinners(id: string): Promise<void>;
}

export function drawsApi(http: Http, anonymous: boolean): DrawsApi {
  type Params = Record<string, string | number>;
  const get = async <T>(
    op: OperationId,
    params: Params,
    query?: Record<string, string | number | undefined>,
  ) => (await http.op<T>(op, params, { query })).data;
  // Proofs are public data: a viewer reads them where no credential is asked for.
  const proofOp = <A extends OperationId, P extends OperationId>(user: A, pub: P) => (anonymous ? pub : user);
  const upload = async (
    op: OperationId,
    params: Params,
    list: CandidateList,
    fields: Record<string, string> = {},
  ) => {
    const text = typeof list === 'string';
    let body: RequestInit['body'] = list as string;
    if (!text) {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', list, (list as Blob & { name?: string }).name ?? 'winners.txt');
      body = form;
    }
    const headers: Record<string, string> = text ? { 'Content-Type': 'text/plain; charset=utf-8' } : {};
    const query = text ? fields : undefined;
    return (await http.op<ManualCandidatesResponse>(op, params, { body, headers, query })).data;
  };
  const api: DrawsApi = {
    proof: (id) => get(proofOp('getProof', 'getPublicProof'), { id }),
    commitment: (id) => get('getPublicCommitment', { id }),
    entrants: (id, { limit } = {}) =>
      paginate(async (cursor) => {
        const page = await get<{ entrants: Entrant[]; next_cursor: string | null }>(
          proofOp('listEntrants', 'listPublicEntrants'),
          { id },
          { cursor, limit },
        );
        return { items: page.entrants, nextCursor: page.next_cursor };
      }),
    async allEntrants(id) {
      const { data } = await http.op<string>(
        proofOp('listEntrants', 'listPublicEntrants'),
        { id },
        {
          query: { format: 'ndjson' },
          headers: { Accept: 'application/x-ndjson' },
          as: 'text',
        },
      );
      return data.split('\n').flatMap((line) => (line ? [JSON.parse(line) as Entrant] : []));
    },
    inclusionProof: (id, userId) =>
      userId === undefined && !anonymous
        ? get('getInclusionProof', { id })
        : get(proofOp('getInclusion', 'getPublicInclusion'), { id, user_id: userId ?? '' }),
    async verify(id, options) {
      const [bundle, entrants] = await Promise.all([api.proof(id), api.allEntrants(id)]);
      return verifyDraw(bundle, entrants, options);
    },
    reroll: async (id, place, body) =>
      (await http.op<RerollResult>('rerollWinner', { id, place }, { json: body })).data,
    extendClaim: async (id, place, body = {}) =>
      (await http.op<ExtendClaimResult>('extendClaim', { id, place }, { json: body })).data,
    uploadManualCandidates: (id, list) => upload('uploadManualCandidates', { id }, list),
    previewManualCandidates: (list, giveawayId) =>
      upload('previewManualCandidates', {}, list, giveawayId ? { giveaway_id: giveawayId } : {}),
    loadedWinners: (id) => get('listLoadedWinners', { id }),
    clearLoadedWinners: async (id) => {
      await http.op('clearLoadedWinners', { id }, { as: 'none' });
    },
  };
  return api;
}
