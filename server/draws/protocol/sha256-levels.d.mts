// Types of sha256-levels.mjs (plain JavaScript so the Merkle worker threads can load it as it stands).

/** Hashes one Merkle level (draw protocol §2) per call; every digest is 32 bytes, written back to back. */
export interface LevelHasher {
  /** 'wasm-simd': the 4-lane kernel of sha256-kernel.wat; 'node-crypto': one node:crypto call per hash. */
  readonly kind: 'wasm-simd' | 'node-crypto';
  /**
   * Leaves start..end: H(0x00 ‖ u64be(idHi:idLo) ‖ u32be(weight)) into out[outOffset + 32·(i − start)].
   * Inputs must already be validated.
   */
  leaves(
    idHi: Uint32Array,
    idLo: Uint32Array,
    weights: Uint32Array,
    start: number,
    end: number,
    out: Uint8Array,
    outOffset: number,
  ): void;
  /** Pair p = below[belowOffset + 64p, +64) (left ‖ right) → H(0x01 ‖ left ‖ right) into out[outOffset + 32p]. */
  nodes(below: Uint8Array, belowOffset: number, pairs: number, out: Uint8Array, outOffset: number): void;
}

/** SHA-256 of data as a latin1 (binary) string of 32 characters, without a Buffer per call. */
export function digest(data: Uint8Array): string;

/** True when this runtime runs the WebAssembly SIMD kernel. */
export function simdAvailable(): boolean;

/** The thread's hasher: the SIMD kernel when available, unless `simd: false` forces node:crypto. */
export function levelHasher(options?: { readonly simd?: boolean }): LevelHasher;
