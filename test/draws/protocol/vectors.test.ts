// §8 test vectors, end to end: commitment, entrant root, seed, and selection with and without exclusions.
import { describe, expect, it } from 'vitest';
import {
  beaconRandomness,
  deriveSeed,
  freezeEntrants,
  seedCommitment,
  selectWinners,
} from '../../../server/draws/protocol/index.ts';
import { SERVER_SEED, VECTOR_A, VECTOR_B, ids } from './fixtures.ts';

describe('vector A (no beacon)', () => {
  const frozen = freezeEntrants(VECTOR_A.entrants);
  const seed = deriveSeed({
    serverSeed: SERVER_SEED,
    giveawayId: VECTOR_A.giveawayId,
    entrantsRoot: frozen.root,
  });

  it('matches commitment, root, total weight and seed', () => {
    expect(seedCommitment(SERVER_SEED)).toBe(VECTOR_A.seedCommitment);
    expect(frozen.root.toString('hex')).toBe(VECTOR_A.root);
    expect(frozen.totalWeight).toBe(1999);
    expect(seed.toString('hex')).toBe(VECTOR_A.seed);
  });

  it('selects the published winners and reserves without exclusions', () => {
    const result = selectWinners({ entrants: frozen, seed, winnersCount: 10, reservesCount: 5 });
    expect(ids(result.winners)).toEqual(VECTOR_A.winners);
    expect(ids(result.reserves)).toEqual(VECTOR_A.reserves);
    expect(result.excludedPicks).toEqual([]);
  });

  it('selects the published winners and reserves with exclusions {1023, 1149}', () => {
    const result = selectWinners({
      entrants: frozen,
      seed,
      winnersCount: 10,
      reservesCount: 5,
      exclusions: VECTOR_A.exclusions,
    });
    expect(ids(result.winners)).toEqual(VECTOR_A.winnersWithExclusions);
    expect(ids(result.reserves)).toEqual(VECTOR_A.reservesWithExclusions);
    expect(ids(result.excludedPicks)).toEqual([1023, 1149]);
  });

  it('does not depend on input order or id representation', () => {
    const shuffled = [...VECTOR_A.entrants].reverse().map((e, i) => ({
      user_id: i % 3 === 0 ? BigInt(e.user_id) : i % 3 === 1 ? String(e.user_id) : e.user_id,
      weight: e.weight,
    }));
    expect(freezeEntrants(shuffled).root.toString('hex')).toBe(VECTOR_A.root);
  });
});

describe('vector B (drand quicknet beacon)', () => {
  const frozen = freezeEntrants(VECTOR_B.entrants);

  it('beacon randomness is H(signature) of round 657413', () => {
    expect(beaconRandomness(Buffer.from(VECTOR_B.signature, 'hex')).toString('hex')).toBe(
      VECTOR_B.randomness,
    );
  });

  it('matches root, winners and reserves', () => {
    expect(frozen.root.toString('hex')).toBe(VECTOR_B.root);
    const seed = deriveSeed({
      serverSeed: SERVER_SEED,
      giveawayId: VECTOR_B.giveawayId,
      entrantsRoot: frozen.root,
      beaconRandomness: Buffer.from(VECTOR_B.randomness, 'hex'),
    });
    const result = selectWinners({ entrants: frozen, seed, winnersCount: 2, reservesCount: 1 });
    expect(ids(result.winners)).toEqual(VECTOR_B.winners);
    expect(ids(result.reserves)).toEqual(VECTOR_B.reserves);
  });

  it('the beacon changes the seed', () => {
    const common = { serverSeed: SERVER_SEED, giveawayId: VECTOR_B.giveawayId, entrantsRoot: frozen.root };
    const withBeacon = deriveSeed({ ...common, beaconRandomness: Buffer.from(VECTOR_B.randomness, 'hex') });
    expect(deriveSeed(common).equals(withBeacon)).toBe(false);
    expect(deriveSeed({ ...common, beaconRandomness: Buffer.alloc(0) }).equals(deriveSeed(common))).toBe(
      true,
    );
  });
});
