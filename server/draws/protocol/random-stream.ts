// The draw's random stream (§3) and unbiased integer draws (§4 step 1): block_j = H(seed ‖ u64be(j)), read as
// big-endian u64 values, with rejection so every r in [0, T) is equally likely. u64 math is BigInt, never float.
import { DrawProtocolError } from './errors.ts';
import { sha256Into } from './sha256.ts';

export interface U64Source {
  nextU64(): bigint;
}

const TWO_POW_64 = 1n << 64n;

export class RandomStream implements U64Source {
  private readonly input = Buffer.alloc(40);
  private readonly block = Buffer.alloc(32);
  private nextBlock = 0;
  private offset = 32;
  private consumed = 0;

  constructor(seed: Uint8Array) {
    if (seed.length !== 32) throw new DrawProtocolError('INVALID_SEED', 'stream seed must be 32 bytes');
    this.input.set(seed, 0);
  }

  nextU64(): bigint {
    if (this.offset === 32) {
      // j < 2^53 in any real draw, so the two halves are exact.
      this.input.writeUInt32BE(Math.floor(this.nextBlock / 0x1_0000_0000), 32);
      this.input.writeUInt32BE(this.nextBlock >>> 0, 36);
      sha256Into(this.input, this.block, 0);
      this.nextBlock++;
      this.offset = 0;
    }
    const x = this.block.readBigUInt64BE(this.offset);
    this.offset += 8;
    this.consumed++;
    return x;
  }

  /** How many u64 values have been read; a position anyone re-running the draw can compare. */
  get u64Consumed(): number {
    return this.consumed;
  }
}

/**
 * next_int(T): r uniform in [0, T). With limit = 2^64 − (2^64 mod T), any x ≥ limit is discarded and the next
 * u64 taken, so the (2^64 mod T) values that would favour small r never land.
 */
export function nextInt(source: U64Source, bound: number): number {
  if (!Number.isSafeInteger(bound) || bound < 1) {
    throw new DrawProtocolError(
      'INVALID_ARGUMENT',
      `next_int bound must be an integer in 1..2^53-1, got ${bound}`,
    );
  }
  const t = BigInt(bound);
  const limit = TWO_POW_64 - (TWO_POW_64 % t);
  for (;;) {
    const x = source.nextU64();
    if (x < 0n || x >= TWO_POW_64) {
      throw new DrawProtocolError('INVALID_STATE', 'u64 source returned out of range');
    }
    if (x < limit) return Number(x % t);
  }
}
