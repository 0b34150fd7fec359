// Proof serving: bundles, commitments, entrant lists and inclusion proofs, for /api/v1, /api/public and /verify.
export { DrawProofs } from './draw-proofs.ts';
export { entrantsNdjson } from './entrants-ndjson.ts';
