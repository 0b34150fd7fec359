// SHA-256 primitives for the protocol, tuned for the millions of tiny hashes a Merkle tree needs.
import * as crypto from 'node:crypto';
import { digest, levelHasher, simdAvailable, type LevelHasher } from './sha256-levels.mjs';

// Whole Merkle levels (the 2M hashes of a 1M-entrant tree) go through the WASM SIMD kernel: sha256-levels.mjs.
export { levelHasher, simdAvailable, type LevelHasher };

export function sha256(data: Uint8Array): Buffer {
  return crypto.createHash('sha256').update(data).digest();
}

/** Writes SHA-256(data) into out[offset .. offset + 32). */
export function sha256Into(data: Uint8Array, out: Buffer, offset: number): void {
  out.write(digest(data), offset, 32, 'latin1');
}
