// Stream layout (block_j = H(seed ‖ u64be(j)), u64be reads) and the unbiased next_int rejection rule.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RandomStream, nextInt, type U64Source } from '../../../server/draws/protocol/index.ts';

const TWO_64 = 1n << 64n;

function source(values: bigint[]): U64Source & { taken: number } {
  const queue = [...values];
  return {
    taken: 0,
    nextU64() {
      const x = queue.shift();
      if (x === undefined) throw new Error('source exhausted');
      this.taken++;
      return x;
    },
  };
}

describe('RandomStream', () => {
  it('reads block_0 ‖ block_1 ‖ … as big-endian u64 values', () => {
    const seed = Buffer.alloc(32, 0xab);
    const block = (j: number): Buffer => {
      const counter = Buffer.alloc(8);
      counter.writeBigUInt64BE(BigInt(j));
      return createHash('sha256').update(seed).update(counter).digest();
    };
    const expected = [block(0), block(1), block(2)].flatMap((b) =>
      [0, 8, 16, 24].map((o) => b.readBigUInt64BE(o)),
    );
    const stream = new RandomStream(seed);
    expect(Array.from({ length: 12 }, () => stream.nextU64())).toEqual(expected);
    expect(stream.u64Consumed).toBe(12);
  });

  it('needs a 32-byte seed', () => {
    expect(() => new RandomStream(Buffer.alloc(31))).toThrow(
      expect.objectContaining({ code: 'INVALID_SEED' }),
    );
  });
});

describe('nextInt', () => {
  it('discards x ≥ limit and takes the next value', () => {
    // 2^64 mod 3 = 1, so limit = 2^64 − 1 and only x = 2^64 − 1 is rejected.
    const s = source([TWO_64 - 1n, TWO_64 - 2n]);
    expect(nextInt(s, 3)).toBe(Number((TWO_64 - 2n) % 3n));
    expect(s.taken).toBe(2);
  });

  it('rejects exactly the values at or above limit for a large bound', () => {
    const t = 2 ** 53 - 1;
    const limit = TWO_64 - (TWO_64 % BigInt(t));
    const s = source([limit, limit + 1n, TWO_64 - 1n, limit - 1n]);
    expect(nextInt(s, t)).toBe(Number((limit - 1n) % BigInt(t)));
    expect(s.taken).toBe(4);
  });

  it('accepts x just below limit at once', () => {
    const limit = TWO_64 - (TWO_64 % 1999n);
    const s = source([limit - 1n]);
    expect(nextInt(s, 1999)).toBe(Number((limit - 1n) % 1999n));
    expect(s.taken).toBe(1);
  });

  it('never rejects when the bound divides 2^64', () => {
    for (const t of [1, 2, 1024, 2 ** 52]) {
      const s = source([TWO_64 - 1n]);
      expect(nextInt(s, t)).toBe(Number((TWO_64 - 1n) % BigInt(t)));
      expect(s.taken).toBe(1);
    }
  });

  it('refuses bounds outside 1..2^53-1 and out-of-range source values', () => {
    for (const t of [0, -1, 1.5, 2 ** 53, Number.NaN]) {
      expect(() => nextInt(source([1n]), t)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => nextInt(source([TWO_64]), 3)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(() => nextInt(source([-1n]), 3)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});
