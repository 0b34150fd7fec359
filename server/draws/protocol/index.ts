// Public API of draw protocol v1 (docs: /work/shared/spec/draw-protocol-v1.md): everything a draw service or an
// independent verifier needs; internals such as the SHA-256 helpers stay unexported.
export { DrawProtocolError, type DrawProtocolErrorCode } from './errors.ts';
export {
  MAX_USER_ID,
  parseUserId,
  sameUserId,
  toJsonUserId,
  type JsonUserId,
  type UserIdInput,
} from './user-id.ts';
export {
  EMPTY_ROOT,
  buildMerkleTree,
  encodeLeaf,
  hashLeaf,
  hashLeaves,
  inclusionProof,
  merkleRoot,
  verifyInclusionProof,
  type InclusionProof,
  type MerkleTree,
} from './merkle.ts';
export {
  MAX_WEIGHT,
  canonicalColumns,
  canonicalEntrantList,
  entrantUserId,
  findEntrantIndex,
  freezeEntrants,
  frozenFromColumns,
  type CanonicalColumns,
  type EntrantColumns,
  type EntrantInput,
  type FrozenEntrants,
} from './entrants.ts';
export {
  PROTOCOL_ID,
  QUICKNET,
  SERVER_SEED_BYTES,
  beaconRandomness,
  beaconRoundAt,
  beaconRoundTime,
  beaconSignedMessage,
  deriveSeed,
  generateServerSeed,
  seedCommitment,
  type BeaconSignatureVerifier,
  type SeedInput,
} from './seed.ts';
export { RandomStream, nextInt, type U64Source } from './random-stream.ts';
export { FenwickTree } from './fenwick-tree.ts';
export {
  DrawSelector,
  selectWinners,
  type RerollOutcome,
  type Selection,
  type SelectorOptions,
} from './select-winners.ts';
export {
  applyReroll,
  buildManualBundle,
  buildProofBundle,
  currentWinners,
  restoreSelector,
  verifyProofBundle,
  type BeaconCommitment,
  type BeaconProof,
  type BuildManualBundleInput,
  type BuildProofBundleInput,
  type ExclusionEntry,
  type ManualPick,
  type ManualProofBundle,
  type ProofBundle,
  type RandomProofBundle,
  type RerollEntry,
  type VerificationProblem,
  type VerificationProblemCode,
  type VerificationResult,
  type VerifyOptions,
  type WinnerEntry,
} from './proof-bundle.ts';
