// Hashes whole Merkle levels of draw protocol §2 (leaves, then inner nodes) with the 4-lane WASM SIMD kernel of
// sha256-kernel.wat, or with node:crypto where WebAssembly SIMD is missing. Through node:crypto each of the ~2M
// tiny hashes of a 1M tree pays a JS → C++ call and a digest string that cost more than the hash itself.
// Plain JavaScript (typed by sha256-levels.d.mts) so merkle-worker.mjs can load it without a TypeScript hook.
import { createHash, hash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const LEAF_BYTES = 12; // u64be(user_id) ‖ u32be(weight) after the prefix byte.
const PAIR_BYTES = 64;
const HASH_BYTES = 32;
/**
 * Messages per kernel call: bounds the module's memory (≈ 0.8 MB of pairs and digests), and V8 moves a hot WASM
 * function to its optimising tier only between calls, so one call per whole level would run unoptimised.
 */
const CHUNK = 8192;

/** @type {WebAssembly.Module | null | undefined} */
let compiled;

/** The compiled kernel, or null when this runtime has no WebAssembly SIMD (the module then fails validation). */
function kernelModule() {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (typeof WebAssembly === 'object') {
    const bytes = readFileSync(new URL('./sha256-kernel.wasm', import.meta.url));
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

export function simdAvailable() {
  return kernelModule() !== null;
}

class WasmLevelHasher {
  kind = 'wasm-simd';

  constructor(module) {
    const { exports } = new WebAssembly.Instance(module);
    this.memory = exports.memory;
    this.hash = exports.hash;
    this.hashLeaves = exports.leaves;
    this.base = exports.heap_base.value;
    // Sized once for the largest chunk (pairs in, digests out), so the memory never grows mid-level.
    const need = this.base + CHUNK * (PAIR_BYTES + HASH_BYTES);
    const pages = Math.ceil((need - this.memory.buffer.byteLength) / 65536);
    if (pages > 0) this.memory.grow(pages);
    this.bytes = new Uint8Array(this.memory.buffer);
    this.words = new Uint32Array(this.memory.buffer);
  }

  leaves(idHi, idLo, weights, start, end, out, outOffset) {
    const { base, bytes, words } = this;
    // The kernel reads the columns as they are (u32 values, four per load), 16 bytes of slack after each.
    const column = CHUNK + 4;
    const hi = base;
    const lo = hi + column * 4;
    const w = lo + column * 4;
    const dst = w + column * 4;
    for (let from = start; from < end; from += CHUNK) {
      const n = Math.min(CHUNK, end - from);
      words.set(idHi.subarray(from, from + n), hi / 4);
      words.set(idLo.subarray(from, from + n), lo / 4);
      words.set(weights.subarray(from, from + n), w / 4);
      this.hashLeaves(hi, lo, w, n, dst);
      out.set(bytes.subarray(dst, dst + n * HASH_BYTES), outOffset + (from - start) * HASH_BYTES);
    }
  }

  nodes(below, belowOffset, pairs, out, outOffset) {
    const { base, bytes } = this;
    for (let done = 0; done < pairs; done += CHUNK) {
      const n = Math.min(CHUNK, pairs - done);
      const at = belowOffset + done * PAIR_BYTES;
      bytes.set(below.subarray(at, at + n * PAIR_BYTES), base);
      const dst = base + n * PAIR_BYTES;
      this.hash(NODE_PREFIX, base, PAIR_BYTES, n, dst);
      out.set(bytes.subarray(dst, dst + n * HASH_BYTES), outOffset + done * HASH_BYTES);
    }
  }
}

/**
 * SHA-256 of data as a latin1 string of 32 characters. crypto.hash (Node >= 20.12; package.json allows 20.11)
 * skips the Hash object, and a string digest avoids a Buffer per call.
 */
export const digest =
  typeof hash === 'function'
    ? (data) => hash('sha256', data, 'latin1')
    : (data) => createHash('sha256').update(data).digest('latin1');

class NodeLevelHasher {
  kind = 'node-crypto';

  leaves(idHi, idLo, weights, start, end, out, outOffset) {
    const target = asBuffer(out);
    const pre = Buffer.alloc(1 + LEAF_BYTES);
    pre[0] = LEAF_PREFIX;
    for (let i = start; i < end; i++) {
      pre.writeUInt32BE(idHi[i], 1);
      pre.writeUInt32BE(idLo[i], 5);
      pre.writeUInt32BE(weights[i], 9);
      target.write(digest(pre), outOffset + (i - start) * HASH_BYTES, HASH_BYTES, 'latin1');
    }
  }

  nodes(below, belowOffset, pairs, out, outOffset) {
    const target = asBuffer(out);
    const pair = Buffer.alloc(1 + PAIR_BYTES);
    pair[0] = NODE_PREFIX;
    for (let p = 0; p < pairs; p++) {
      const at = belowOffset + p * PAIR_BYTES;
      pair.set(below.subarray(at, at + PAIR_BYTES), 1);
      target.write(digest(pair), outOffset + p * HASH_BYTES, HASH_BYTES, 'latin1');
    }
  }
}

function asBuffer(bytes) {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** @type {Map<string, WasmLevelHasher | NodeLevelHasher>} */
const hashers = new Map();

/**
 * One hasher per thread and kind (they hold scratch memory and are synchronous, so sharing one is safe).
 * `simd: false` forces node:crypto; by default the kernel is used when the runtime supports WebAssembly SIMD.
 */
export function levelHasher(options = {}) {
  const module = options.simd === false ? null : kernelModule();
  const kind = module ? 'wasm-simd' : 'node-crypto';
  let hasher = hashers.get(kind);
  if (!hasher) {
    hasher = module ? new WasmLevelHasher(module) : new NodeLevelHasher();
    hashers.set(kind, hasher);
  }
  return hasher;
}
