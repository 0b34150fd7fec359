// One entrant's inclusion proof (§2): from its leaf up the sibling hashes to the root, for a tree of a known
// size (the size fixes the levels where a node was unpaired and moved up without a sibling).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes, isHex, splitUserId, u64be, type JsonUserId } from './bytes.ts';

/**
 * What `GET /api/v1/giveaways/:id/inclusion-proof` returns (InclusionProofResponse).
 *
 * @example
 * const proof: InclusionProof = await client.draws.inclusionProof(id);
 */
export interface InclusionProof {
  readonly user_id: JsonUserId;
  readonly weight: number;
  readonly index: number;
  readonly leaf: string;
  readonly siblings: readonly string[];
  readonly entrants_count: number;
}

/**
 * Checks that `proof` places its entrant (user_id, weight) in the entrant tree whose root is `root` (hex):
 * the leaf must be that entrant's hash, and the siblings must lead from it to the root.
 *
 * @example
 * const proof = await client.draws.inclusionProof(giveawayId);
 * const bundle = await client.draws.proof(giveawayId);
 * if (!verifyInclusion(proof, bundle.entrants_root)) alert('You are not in the published entrant list!');
 */
export function verifyInclusion(proof: InclusionProof, root: string): boolean {
  const id = splitUserId(proof.user_id);
  const { index, entrants_count: count, weight } = proof;
  if (!id || !isHex(root, 32) || !isHex(proof.leaf, 32)) return false;
  if (!Number.isInteger(weight) || weight < 1 || weight > 0x7fffffff) return false;
  if (!Number.isInteger(index) || !Number.isInteger(count) || index < 0 || index >= count) return false;
  const pre = new Uint8Array(13);
  pre.set(u64be((BigInt(id[0]) << 32n) | BigInt(id[1])), 1);
  new DataView(pre.buffer).setUint32(9, weight);
  let node = sha256(pre);
  if (bytesToHex(node) !== proof.leaf) return false;
  let used = 0;
  let i = index;
  for (let size = count; size > 1; size -= size >>> 1, i >>>= 1) {
    if ((i ^ 1) >= size) continue;
    const sibling = proof.siblings[used++];
    if (!isHex(sibling, 32)) return false;
    const s = hexToBytes(sibling);
    node = sha256(concatBytes(Uint8Array.of(1), i & 1 ? s : node, i & 1 ? node : s));
  }
  return used === proof.siblings.length && bytesToHex(node) === root;
}
