// SHA-256 primitives for the protocol, tuned for the millions of tiny hashes a Merkle tree needs.
// crypto.hash (Node >= 20.12) skips the Hash object; a 'binary' (latin1) string digest avoids allocating a Buffer per call.
import * as crypto from 'node:crypto';
import { levelHasher, simdAvailable, type LevelHasher } from './sha256-levels.mjs';

// Whole Merkle levels (the 2M hashes of a 1M-entrant tree) go through the WASM SIMD kernel: sha256-levels.mjs.
export { levelHasher, simdAvailable, type LevelHasher };

// Feature-detected because package.json allows Node 20.11, which predates crypto.hash.
const oneShot: ((data: Uint8Array) => string) | null =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'binary') : null;

export function sha256(data: Uint8Array): Buffer {
  return crypto.createHash('sha256').update(data).digest();
}

/** Writes SHA-256(data) into out[offset .. offset + 32). */
export function sha256Into(data: Uint8Array, out: Buffer, offset: number): void {
  const digest = oneShot ? oneShot(data) : crypto.createHash('sha256').update(data).digest('binary');
  out.write(digest, offset, 32, 'binary');
}
