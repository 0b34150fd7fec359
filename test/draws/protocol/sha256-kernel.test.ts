// The WASM SIMD SHA-256 kernel and the level hasher around it: byte-for-byte node:crypto for every message length
// it can take, the same leaves and levels as the node:crypto fallback, the spec's roots either way, and a
// committed .wasm that is the .wat's.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMerkleTree, freezeEntrants, hashLeaves } from '../../../server/draws/protocol/index.ts';
import { levelHasher, simdAvailable } from '../../../server/draws/protocol/sha256.ts';
import { VECTOR_A, VECTOR_B } from './fixtures.ts';

const sha = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};

interface Kernel {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  hash: (prefix: number, src: number, len: number, count: number, dst: number) => void;
  heap_base: { value: number };
}

// The project's lib (ES2023, Node types) declares no WebAssembly globals, so the few used here are typed locally.
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: unknown };
    };
  }
).WebAssembly;

function rawKernel(): Kernel {
  const bytes = readFileSync(new URL('../../../server/draws/protocol/sha256-kernel.wasm', import.meta.url));
  const kernel = new wasm.Instance(new wasm.Module(bytes)).exports as Kernel;
  kernel.memory.grow(2);
  return kernel;
}

describe('sha256-kernel.wasm', () => {
  it('is compiled from sha256-kernel.wat (build script --check)', async () => {
    const script = new URL('../../../scripts/build-sha256-kernel.mjs', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--check']);
    expect(stdout).toContain('matches');
  });

  it('runs here (Node has WebAssembly SIMD), so the fast path is the one under test', () => {
    expect(simdAvailable()).toBe(true);
    expect(levelHasher().kind).toBe('wasm-simd');
    expect(levelHasher({ simd: false }).kind).toBe('node-crypto');
  });

  it('hashes prefix ‖ message like node:crypto for every length 0..118 and group remainders', () => {
    const kernel = rawKernel();
    const base = kernel.heap_base.value;
    for (let len = 0; len <= 118; len++) {
      for (const count of [1, 2, 3, 4, 5, 8, 11]) {
        const mem = new Uint8Array(kernel.memory.buffer);
        const src = base;
        const dst = base + 8192;
        for (let i = 0; i < len * count; i++) mem[src + i] = (i * 131 + len * 7 + count) & 0xff;
        // Past the last digest must stay untouched: lanes without a message store nothing.
        mem.fill(0xa5, dst, dst + 32 * (count + 4));
        const prefix = (len + count) & 0xff;
        kernel.hash(prefix, src, len, count, dst);
        for (let i = 0; i < count; i++) {
          const want = sha(Uint8Array.of(prefix), mem.subarray(src + i * len, src + (i + 1) * len));
          expect(Buffer.from(mem.subarray(dst + 32 * i, dst + 32 * i + 32)).toString('hex')).toBe(
            want.toString('hex'),
          );
        }
        expect(mem.subarray(dst + 32 * count, dst + 32 * (count + 4)).every((b) => b === 0xa5)).toBe(true);
      }
    }
  });
});

describe('level hasher', () => {
  const simd = levelHasher();
  const fallback = levelHasher({ simd: false });
  const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

  it('hashes leaves 0x00 ‖ u64be(id) ‖ u32be(weight) like node:crypto, in any range of the columns', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(u32, u32, u32), { maxLength: 40 }), fc.nat(), fc.nat(), (rows, a, b) => {
        const idHi = Uint32Array.from(rows, (r) => r[0]);
        const idLo = Uint32Array.from(rows, (r) => r[1]);
        const weights = Uint32Array.from(rows, (r) => r[2]);
        const start = rows.length === 0 ? 0 : a % (rows.length + 1);
        const end = start + (rows.length === 0 ? 0 : b % (rows.length - start + 1));
        const outOffset = 7;
        const out = Buffer.alloc(outOffset + 32 * (end - start) + 5, 0xee);
        simd.leaves(idHi, idLo, weights, start, end, out, outOffset);
        const other = Buffer.alloc(out.length, 0xee);
        fallback.leaves(idHi, idLo, weights, start, end, other, outOffset);
        expect(out.equals(other)).toBe(true);
        for (let i = start; i < end; i++) {
          const pre = Buffer.alloc(13);
          pre.writeUInt32BE(idHi[i] ?? 0, 1);
          pre.writeUInt32BE(idLo[i] ?? 0, 5);
          pre.writeUInt32BE(weights[i] ?? 0, 9);
          const at = outOffset + 32 * (i - start);
          expect(out.subarray(at, at + 32).equals(sha(pre))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('hashes pairs 0x01 ‖ left ‖ right like node:crypto, from any offset of a level', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 * 24 + 63 }), fc.nat(63), (level, shift) => {
        const belowOffset = Math.min(shift, level.length);
        const pairs = Math.floor((level.length - belowOffset) / 64);
        const out = new Uint8Array(3 + 32 * pairs);
        simd.nodes(level, belowOffset, pairs, out, 3);
        const other = new Uint8Array(out.length);
        fallback.nodes(level, belowOffset, pairs, other, 3);
        expect(Buffer.from(out).equals(Buffer.from(other))).toBe(true);
        for (let p = 0; p < pairs; p++) {
          const at = belowOffset + 64 * p;
          const want = sha(Uint8Array.of(1), level.subarray(at, at + 64));
          expect(Buffer.from(out.subarray(3 + 32 * p, 35 + 32 * p)).equals(want)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same leaves and levels as node:crypto across many kernel calls (20 001 leaves)', () => {
    const n = 20_001;
    const idHi = Uint32Array.from({ length: n }, (_, i) => i % 3);
    const idLo = Uint32Array.from({ length: n }, (_, i) => (i * 2_654_435_761) >>> 0);
    const weights = Uint32Array.from({ length: n }, (_, i) => 1 + (i % 7));
    const fast = buildMerkleTree(hashLeaves(idHi, idLo, weights, simd), simd);
    const slow = buildMerkleTree(hashLeaves(idHi, idLo, weights, fallback), fallback);
    expect(fast.levels.length).toBe(slow.levels.length);
    fast.levels.forEach((level, l) => expect(level.equals(slow.levels[l] as Buffer)).toBe(true));
    expect(fast.root.equals(slow.root)).toBe(true);
  });

  it("builds the spec's vector roots with either hasher", () => {
    for (const vector of [VECTOR_A, VECTOR_B]) {
      const frozen = freezeEntrants(vector.entrants);
      expect(frozen.root.toString('hex')).toBe(vector.root);
      for (const hasher of [simd, fallback]) {
        const leaves = hashLeaves(frozen.idHi, frozen.idLo, frozen.weights, hasher);
        expect(buildMerkleTree(leaves, hasher).root.toString('hex')).toBe(vector.root);
      }
    }
  });
});
