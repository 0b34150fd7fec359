// The drand quicknet beacon: committed rounds fetched from the configured relays and BLS-checked.
export { verifyQuicknetSignature } from './beacon-verifier.ts';
export {
  BeaconUnavailableError,
  DrandRelays,
  parseDrandUrls,
  type BeaconSource,
  type DrandRelaysOptions,
  type VerifiedBeacon,
} from './drand-relays.ts';
