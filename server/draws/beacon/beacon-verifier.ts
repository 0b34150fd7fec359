// The BLS check of a drand quicknet beacon (draw protocol §3): bls-unchained-g1-rfc9380, signature on G1 over
// H(u64be(round)), group public key on G2. Injected into the protocol module as its BeaconSignatureVerifier.
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { QUICKNET, beaconSignedMessage, type BeaconSignatureVerifier } from '../protocol/index.ts';

const bls = bls12_381.shortSignatures;
const PUBLIC_KEY = Buffer.from(QUICKNET.publicKey, 'hex');
/** A compressed G1 point. */
export const SIGNATURE_BYTES = 48;

/**
 * True only when `signature` is quicknet's signature of `round`. The key, scheme and DST are pinned here rather
 * than taken from the caller, so a verifier handed another chain's parameters still checks against quicknet.
 */
export const verifyQuicknetSignature: BeaconSignatureVerifier = ({ round, signature }) => {
  if (signature.length !== SIGNATURE_BYTES) return false;
  try {
    const point = bls.hash(beaconSignedMessage(round), QUICKNET.dst);
    return bls.verify(signature, point, PUBLIC_KEY);
  } catch {
    // Bytes that are not a curve point cannot be a signature.
    return false;
  }
};
