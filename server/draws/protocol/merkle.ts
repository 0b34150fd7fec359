// Entrant Merkle tree of §2: leaf = H(0x00 ‖ u64be(user_id) ‖ u32be(w)), node = H(0x01 ‖ left ‖ right),
// an unpaired last node moves up unchanged. Levels are flat Buffers of 32-byte hashes, one per level.
import { DrawProtocolError } from './errors.ts';
import { levelHasher, sha256, type LevelHasher } from './sha256.ts';
import { parseUserId, type UserIdInput } from './user-id.ts';

export const HASH_BYTES = 32;
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;
export const EMPTY_ROOT: Buffer = Buffer.alloc(HASH_BYTES);

export interface MerkleTree {
  readonly count: number;
  /** levels[0] holds the leaves; the last level holds the root (for zero leaves it is empty). */
  readonly levels: readonly Buffer[];
  readonly root: Buffer;
}

export interface InclusionProof {
  readonly index: number;
  readonly leaf: string;
  /** Sibling hashes from the leaf upwards; levels where the node was unpaired contribute nothing. */
  readonly siblings: readonly string[];
}

/** The 13-byte leaf preimage 0x00 ‖ u64be(user_id) ‖ u32be(weight). */
export function encodeLeaf(userId: UserIdInput, weight: number): Buffer {
  const id = parseUserId(userId);
  if (!Number.isInteger(weight) || weight < 1 || weight > 0x7fffffff) {
    throw new DrawProtocolError('INVALID_ENTRANTS', `weight must be an integer in 1..2^31-1, got ${weight}`);
  }
  const out = Buffer.alloc(13);
  out[0] = LEAF_PREFIX;
  out.writeBigUInt64BE(id, 1);
  out.writeUInt32BE(weight, 9);
  return out;
}

export function hashLeaf(userId: UserIdInput, weight: number): Buffer {
  return sha256(encodeLeaf(userId, weight));
}

/**
 * Hashes all leaves into one Buffer (32 bytes each) from columnar input (ids split into u32 halves), a whole level
 * per hasher call. Inputs must already be validated.
 */
export function hashLeaves(
  idHi: Uint32Array,
  idLo: Uint32Array,
  weights: Uint32Array,
  hasher: LevelHasher = levelHasher(),
): Buffer {
  const n = weights.length;
  const out = Buffer.allocUnsafe(n * HASH_BYTES);
  hasher.leaves(idHi, idLo, weights, 0, n, out, 0);
  return out;
}

export function buildMerkleTree(leaves: Buffer, hasher: LevelHasher = levelHasher()): MerkleTree {
  if (leaves.length % HASH_BYTES !== 0) {
    throw new DrawProtocolError('INVALID_ARGUMENT', 'leaves must be a whole number of 32-byte hashes');
  }
  const count = leaves.length / HASH_BYTES;
  const levels: Buffer[] = [leaves];
  if (count === 0) return { count, levels, root: Buffer.from(EMPTY_ROOT) };
  let level = leaves;
  let size = count;
  while (size > 1) {
    const pairs = size >>> 1;
    const nextSize = size - pairs;
    const next = Buffer.allocUnsafe(nextSize * HASH_BYTES);
    // Pairs are adjacent in the level, so the level itself is the input: left ‖ right = 64 bytes at 64·p.
    hasher.nodes(level, 0, pairs, next, 0);
    if (size & 1) level.copy(next, pairs * HASH_BYTES, (size - 1) * HASH_BYTES, size * HASH_BYTES);
    levels.push(next);
    level = next;
    size = nextSize;
  }
  return { count, levels, root: Buffer.from(level.subarray(0, HASH_BYTES)) };
}

export function merkleRoot(leaves: Buffer): Buffer {
  return buildMerkleTree(leaves).root;
}

export function inclusionProof(tree: MerkleTree, index: number): InclusionProof {
  if (!Number.isInteger(index) || index < 0 || index >= tree.count) {
    throw new DrawProtocolError('INVALID_ARGUMENT', `index ${index} is outside 0..${tree.count - 1}`);
  }
  const siblings: string[] = [];
  let i = index;
  for (let l = 0; l < tree.levels.length - 1; l++) {
    const level = tree.levels[l] as Buffer;
    const size = level.length / HASH_BYTES;
    const sibling = i ^ 1;
    if (sibling < size) {
      siblings.push(level.toString('hex', sibling * HASH_BYTES, (sibling + 1) * HASH_BYTES));
    }
    i >>>= 1;
  }
  const leaves = tree.levels[0] as Buffer;
  return { index, leaf: leaves.toString('hex', index * HASH_BYTES, (index + 1) * HASH_BYTES), siblings };
}

/**
 * Checks a proof against a root for a tree of `count` leaves; the count fixes where nodes were unpaired.
 * Pass `entrant` to also check that the leaf is that (user_id, weight).
 */
export function verifyInclusionProof(
  proof: InclusionProof,
  root: string | Uint8Array,
  count: number,
  entrant?: { readonly user_id: UserIdInput; readonly weight: number },
): boolean {
  try {
    const { index } = proof;
    if (!Number.isInteger(count) || !Number.isInteger(index) || index < 0 || index >= count) return false;
    const rootBuf =
      typeof root === 'string' ? parseHash(root) : root.length === HASH_BYTES ? Buffer.from(root) : null;
    let node = parseHash(proof.leaf);
    if (!rootBuf || !node) return false;
    if (entrant && !node.equals(hashLeaf(entrant.user_id, entrant.weight))) return false;
    const pair = Buffer.alloc(1 + 2 * HASH_BYTES);
    pair[0] = NODE_PREFIX;
    let used = 0;
    let i = index;
    for (let size = count; size > 1; size = size - (size >>> 1)) {
      if ((i ^ 1) < size) {
        const siblingHex = proof.siblings[used++];
        const sibling = siblingHex === undefined ? null : parseHash(siblingHex);
        if (!sibling) return false;
        const odd = (i & 1) === 1;
        (odd ? sibling : node).copy(pair, 1);
        (odd ? node : sibling).copy(pair, 1 + HASH_BYTES);
        node = sha256(pair);
      }
      i >>>= 1;
    }
    return used === proof.siblings.length && node.equals(rootBuf);
  } catch (err) {
    if (err instanceof DrawProtocolError) return false;
    throw err;
  }
}

function parseHash(hex: string): Buffer | null {
  return typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
}
