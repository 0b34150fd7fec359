// The public beacon of §3: drand quicknet (bls-unchained-g1-rfc9380: signature on G1 over H(u64be(round)),
// group public key on G2). The pairing code is loaded on first use, so apps that never verify a beacon
// do not download it.
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes, isHex, u64be } from './bytes.ts';

/**
 * The drand network every v1 bundle must name, with its group public key.
 *
 * @example
 * const url = `https://api.drand.sh/${QUICKNET.chainHash}/public/latest`;
 */
export const QUICKNET = {
  network: 'drand-quicknet',
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  publicKey:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  dst: 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_',
} as const;

/**
 * A beacon round as drand publishes it (hex strings).
 *
 * @example
 * const round: BeaconRound = await fetchDrandBeacon(657413);
 */
export interface BeaconRound {
  readonly round: number;
  readonly signature: string;
  readonly randomness?: string;
}

/**
 * Verifies a quicknet round's BLS signature against the quicknet group key (what verifyDraw does by default).
 *
 * @example
 * const ok = await verifyQuicknetSignature({ round: 657413, signature: 'b713…' });
 */
export async function verifyQuicknetSignature(beacon: BeaconRound): Promise<boolean> {
  if (!Number.isSafeInteger(beacon.round) || beacon.round < 1 || !isHex(beacon.signature, 48)) return false;
  const { bls12_381 } = await import('@noble/curves/bls12-381.js');
  const bls = bls12_381.shortSignatures;
  try {
    const message = bls.hash(sha256(u64be(beacon.round)), QUICKNET.dst);
    return bls.verify(hexToBytes(beacon.signature), message, hexToBytes(QUICKNET.publicKey));
  } catch {
    // Bytes that are not a curve point cannot be a valid signature.
    return false;
  }
}

/**
 * Fetches a quicknet round from a drand HTTP relay, for `verifyDraw(…, { fetchBeacon: fetchDrandBeacon })`:
 * the bundle's signature must then equal the one drand itself serves.
 *
 * @example
 * const round = await fetchDrandBeacon(657413); // { round, signature, randomness }
 */
export async function fetchDrandBeacon(round: number, relay = 'https://api.drand.sh'): Promise<BeaconRound> {
  const res = await fetch(`${relay}/${QUICKNET.chainHash}/public/${round}`);
  if (!res.ok) throw new Error(`drand relay answered ${res.status} for round ${round}`);
  return (await res.json()) as BeaconRound;
}
