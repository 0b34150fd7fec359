// Commitment, seed derivation inputs and the drand quicknet round for a closing time.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  QUICKNET,
  beaconRoundAt,
  beaconRoundTime,
  beaconSignedMessage,
  deriveSeed,
  generateServerSeed,
  seedCommitment,
} from '../../../server/draws/protocol/index.ts';
import { SERVER_SEED, VECTOR_A, VECTOR_B } from './fixtures.ts';

const G = QUICKNET.genesisUnix;

describe('beaconRoundAt', () => {
  it('is the first round at or after ends_at', () => {
    expect(beaconRoundAt(G)).toBe(1);
    expect(beaconRoundAt(G + 1)).toBe(2);
    expect(beaconRoundAt(G + 3)).toBe(2);
    expect(beaconRoundAt(G + 4)).toBe(3);
    expect(beaconRoundAt(G + 657412 * 3)).toBe(VECTOR_B.round);
    expect(beaconRoundAt(new Date((G + 657412 * 3) * 1000))).toBe(VECTOR_B.round);
    expect(beaconRoundAt(G + 657412 * 3 + 1)).toBe(VECTOR_B.round + 1);
  });

  it('rounds sub-second closing times up', () => {
    expect(beaconRoundAt(new Date((G + 3) * 1000 + 1))).toBe(3);
    expect(beaconRoundAt(new Date((G + 3) * 1000 - 1))).toBe(2);
  });

  it('is at least 1', () => {
    expect(beaconRoundAt(0)).toBe(1);
    expect(beaconRoundAt(G - 2)).toBe(1);
    expect(beaconRoundAt(G - 1000)).toBe(1);
  });

  it('inverts beaconRoundTime', () => {
    for (const r of [1, 2, 1000, VECTOR_B.round]) expect(beaconRoundAt(beaconRoundTime(r))).toBe(r);
    expect(() => beaconRoundAt(Number.NaN)).toThrow();
    expect(() => beaconRoundAt(new Date(Number.NaN))).toThrow();
    expect(() => beaconRoundAt(G + 0.5)).toThrow();
  });

  it('signs H(u64be(R))', () => {
    const round = Buffer.alloc(8);
    round.writeBigUInt64BE(657413n);
    expect(beaconSignedMessage(657413)).toEqual(createHash('sha256').update(round).digest());
  });
});

describe('seed', () => {
  it('commitment is hex(H(server_seed)) and fresh seeds are 32 random bytes', () => {
    expect(seedCommitment(SERVER_SEED)).toBe(VECTOR_A.seedCommitment);
    const a = generateServerSeed();
    expect(a).toHaveLength(32);
    expect(a.equals(generateServerSeed())).toBe(false);
    expect(() => seedCommitment(Buffer.alloc(16))).toThrow(expect.objectContaining({ code: 'INVALID_SEED' }));
  });

  it('is the HMAC of the exact §3 message', () => {
    const root = Buffer.alloc(32, 7);
    const beacon = Buffer.from(VECTOR_B.randomness, 'hex');
    const message = Buffer.concat([
      Buffer.from('giveaway-draw/v1'),
      Buffer.of(0),
      Buffer.from('ünï-id', 'utf8'),
      Buffer.of(0),
      root,
      beacon,
    ]);
    const expected = createHmac('sha256', SERVER_SEED).update(message).digest();
    const seed = deriveSeed({
      serverSeed: SERVER_SEED,
      giveawayId: 'ünï-id',
      entrantsRoot: root,
      beaconRandomness: beacon,
    });
    expect(seed.equals(expected)).toBe(true);
  });

  it('rejects malformed inputs', () => {
    const ok = { serverSeed: SERVER_SEED, giveawayId: 'g', entrantsRoot: Buffer.alloc(32) };
    const code = (c: string) => expect.objectContaining({ name: 'DrawProtocolError', code: c });
    expect(() => deriveSeed({ ...ok, serverSeed: Buffer.alloc(31) })).toThrow(code('INVALID_SEED'));
    expect(() => deriveSeed({ ...ok, giveawayId: '' })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => deriveSeed({ ...ok, giveawayId: 'a\ud800' })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => deriveSeed({ ...ok, entrantsRoot: Buffer.alloc(31) })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => deriveSeed({ ...ok, beaconRandomness: Buffer.alloc(31) })).toThrow(code('INVALID_BEACON'));
  });
});
