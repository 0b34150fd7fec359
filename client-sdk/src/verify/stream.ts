// Randomness of §3 and §4 step 1: the seed HMAC, the stream block_j = H(seed ‖ u64be(j)) read as big-endian u64
// values, and next_int(T) with rejection so every r in [0, T) is equally likely. u64 math is BigInt.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, hexToBytes, u64be } from './bytes.ts';

const PROTOCOL = new TextEncoder().encode('giveaway-draw/v1');
const TWO_64 = 1n << 64n;

/** seed = HMAC-SHA256(server_seed, "giveaway-draw/v1" ‖ 0x00 ‖ utf8(giveaway_id) ‖ 0x00 ‖ root ‖ beacon). */
export function drawSeed(
  serverSeed: string,
  giveawayId: string,
  root: string,
  beacon: string | null,
): Uint8Array {
  const id = new TextEncoder().encode(giveawayId);
  const zero = Uint8Array.of(0);
  const message = concatBytes(PROTOCOL, zero, id, zero, hexToBytes(root), hexToBytes(beacon ?? ''));
  return hmac(sha256, hexToBytes(serverSeed), message);
}

export class DrawStream {
  private block = new Uint8Array(0);
  private view = new DataView(this.block.buffer);
  private offset = 32;
  private j = 0;

  constructor(private readonly seed: Uint8Array) {}

  nextU64(): bigint {
    if (this.offset === 32) {
      this.block = sha256(concatBytes(this.seed, u64be(this.j++)));
      this.view = new DataView(this.block.buffer, this.block.byteOffset, 32);
      this.offset = 0;
    }
    const x = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return x;
  }

  /** next_int(T): limit = 2^64 − (2^64 mod T); draws at or above it are discarded. */
  nextInt(bound: number): number {
    const t = BigInt(bound);
    const limit = TWO_64 - (TWO_64 % t);
    for (;;) {
      const x = this.nextU64();
      if (x < limit) return Number(x % t);
    }
  }
}
