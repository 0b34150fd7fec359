// Entrant Merkle tree: leaf encoding, root shapes (empty, single, unpaired nodes) and inclusion proofs.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  buildMerkleTree,
  encodeLeaf,
  freezeEntrants,
  hashLeaf,
  inclusionProof,
  merkleRoot,
  verifyInclusionProof,
  type InclusionProof,
} from '../../../server/draws/protocol/index.ts';
import { VECTOR_A } from './fixtures.ts';

const h = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const node = (l: Buffer, r: Buffer): Buffer => h(Buffer.of(1), l, r);

function entrants(n: number): { user_id: number; weight: number }[] {
  return Array.from({ length: n }, (_, i) => ({ user_id: 10 + i * 3, weight: 1 + (i % 4) }));
}

describe('leaves', () => {
  it('encode 0x00 ‖ u64be(user_id) ‖ u32be(weight)', () => {
    expect(encodeLeaf(0x0102030405060708n, 0x0a0b0c0d).toString('hex')).toBe(
      '00' + '0102030405060708' + '0a0b0c0d',
    );
    expect(hashLeaf(5, 1).equals(h(Buffer.from('00000000000000000500000001', 'hex')))).toBe(true);
  });

  it('encode ids above 2^53 exactly', () => {
    const big = (1n << 63n) - 1n;
    expect(encodeLeaf(big, 1).toString('hex')).toBe('007fffffffffffffff00000001');
    expect(encodeLeaf(String(big), 1).equals(encodeLeaf(big, 1))).toBe(true);
  });
});

describe('root', () => {
  it('is 32 zero bytes for zero entrants', () => {
    expect(freezeEntrants([]).root.equals(Buffer.alloc(32))).toBe(true);
    expect(merkleRoot(Buffer.alloc(0)).equals(EMPTY_ROOT)).toBe(true);
  });

  it('is the leaf itself for one entrant', () => {
    expect(freezeEntrants([{ user_id: 42, weight: 7 }]).root.equals(hashLeaf(42, 7))).toBe(true);
  });

  it('moves an unpaired last node up unchanged', () => {
    const leaves = [0, 1, 2, 3, 4].map((i) => hashLeaf(100 + i, 1));
    const [a, b, c, d, e] = leaves as [Buffer, Buffer, Buffer, Buffer, Buffer];
    const expected = node(node(node(a, b), node(c, d)), e);
    expect(merkleRoot(Buffer.concat(leaves)).equals(expected)).toBe(true);
    expect(freezeEntrants([0, 1, 2, 3, 4].map((i) => ({ user_id: 100 + i, weight: 1 }))).root).toEqual(
      expected,
    );
  });

  it('hashes three leaves as H(H(a,b), c)', () => {
    const leaves = [1, 2, 3].map((i) => hashLeaf(i, i));
    const [a, b, c] = leaves as [Buffer, Buffer, Buffer];
    expect(merkleRoot(Buffer.concat(leaves)).equals(node(node(a, b), c))).toBe(true);
  });
});

describe('inclusion proofs', () => {
  it.each([1, 2, 3, 5, 7, 8, 13, 1000])('verify for several indexes of a %i-leaf tree', (n) => {
    const list = entrants(n);
    const frozen = freezeEntrants(list);
    const root = frozen.root.toString('hex');
    const indexes = [...new Set([0, 1, Math.floor(n / 2), n - 2, n - 1])].filter((i) => i >= 0 && i < n);
    for (const i of indexes) {
      const proof = inclusionProof(frozen.tree, i);
      expect(proof.index).toBe(i);
      expect(verifyInclusionProof(proof, root, n, list[i])).toBe(true);
      expect(verifyInclusionProof(proof, frozen.root, n)).toBe(true);
    }
  });

  it('the last unpaired leaf skips the levels where it has no sibling', () => {
    const frozen = freezeEntrants(entrants(5));
    const proof = inclusionProof(frozen.tree, 4);
    // 5 leaves: leaf 4 is unpaired at levels 0 and 1, and meets the (0..3) subtree at level 2.
    expect(proof.siblings).toHaveLength(1);
    expect(verifyInclusionProof(proof, frozen.root, 5)).toBe(true);
    const vectorA = freezeEntrants(VECTOR_A.entrants);
    const last = inclusionProof(vectorA.tree, 999);
    expect(verifyInclusionProof(last, VECTOR_A.root, 1000, { user_id: 1999, weight: 1 + (999 % 3) })).toBe(
      true,
    );
  });

  it('reject tampering, the wrong entrant, count or root', () => {
    const list = entrants(13);
    const frozen = freezeEntrants(list);
    const proof = inclusionProof(frozen.tree, 6);
    const root = frozen.root.toString('hex');
    const flip = (hex: string): string => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
    const bad: InclusionProof[] = [
      { ...proof, leaf: flip(proof.leaf) },
      { ...proof, siblings: proof.siblings.map((s, i) => (i === 1 ? flip(s) : s)) },
      { ...proof, siblings: proof.siblings.slice(1) },
      { ...proof, siblings: [...proof.siblings, proof.leaf] },
      { ...proof, index: 7 },
      { ...proof, index: -1 },
      { ...proof, leaf: 'zz' },
    ];
    for (const p of bad) expect(verifyInclusionProof(p, root, 13)).toBe(false);
    // The count decides where the last node was unpaired, so a wrong count breaks the last leaf's proof.
    const last = inclusionProof(frozen.tree, 12);
    expect(verifyInclusionProof(last, root, 13)).toBe(true);
    expect(verifyInclusionProof(last, root, 14)).toBe(false);
    expect(verifyInclusionProof(last, root, 12)).toBe(false);
    expect(verifyInclusionProof(proof, flip(root), 13)).toBe(false);
    expect(verifyInclusionProof(proof, root, 13, { user_id: list[6]?.user_id ?? 0, weight: 99 })).toBe(false);
  });

  it('cannot be made for an index outside the tree', () => {
    const tree = buildMerkleTree(Buffer.concat([hashLeaf(1, 1), hashLeaf(2, 1)]));
    expect(() => inclusionProof(tree, 2)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => inclusionProof(buildMerkleTree(Buffer.alloc(0)), 0)).toThrow();
  });
});
