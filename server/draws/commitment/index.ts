// Draw protocol §1 at create (seed commitment, beacon round) and §2 at close (entrant root and count).
export { DrawCommitments } from './draw-commitments.ts';
export {
  commitEntrants,
  createCommitment,
  hasCommitment,
  type BeaconChoice,
  type Commitment,
} from './commitment.ts';
