// Commit-reveal seed and public-beacon inputs (§1, §3): server seed commitment, drand quicknet round for a
// closing time, beacon randomness, and the HMAC that binds seed, giveaway, entrants and beacon into one seed.
import { createHmac, randomBytes } from 'node:crypto';
import { DrawProtocolError } from './errors.ts';
import { HASH_BYTES } from './merkle.ts';
import { sha256 } from './sha256.ts';

export const PROTOCOL_ID = 'giveaway-draw/v1';
export const SERVER_SEED_BYTES = 32;

export const QUICKNET = {
  network: 'drand-quicknet',
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  genesisUnix: 1692803367,
  periodSeconds: 3,
  scheme: 'bls-unchained-g1-rfc9380',
  dst: 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_',
  publicKey:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
} as const;

/**
 * BLS verification lives outside this module; callers inject it. It must check `signature` over `message`
 * (= H(u64be(round))) against `publicKey` with the quicknet scheme/DST, and return true only if it verifies.
 */
export type BeaconSignatureVerifier = (input: {
  readonly round: number;
  readonly signature: Buffer;
  readonly message: Buffer;
  readonly publicKey: string;
  readonly scheme: string;
  readonly dst: string;
}) => boolean;

export function generateServerSeed(): Buffer {
  return randomBytes(SERVER_SEED_BYTES);
}

export function seedCommitment(serverSeed: Uint8Array): string {
  assertServerSeed(serverSeed);
  return sha256(serverSeed).toString('hex');
}

/**
 * First quicknet round whose time is at or after `endsAt`: R = ceil((ends_at − genesis) / 3) + 1, at least 1.
 * A number is unix seconds (integer); a Date keeps its milliseconds, so 10.5 s past a round still rounds up.
 */
export function beaconRoundAt(endsAt: Date | number): number {
  let ms: number;
  if (endsAt instanceof Date) {
    ms = endsAt.getTime();
  } else if (Number.isSafeInteger(endsAt)) {
    ms = endsAt * 1000;
  } else {
    throw new DrawProtocolError('INVALID_ARGUMENT', 'endsAt must be a Date or integer unix seconds');
  }
  if (!Number.isSafeInteger(ms)) {
    throw new DrawProtocolError('INVALID_ARGUMENT', 'endsAt is not a valid time');
  }
  const sinceGenesis = ms - QUICKNET.genesisUnix * 1000;
  if (sinceGenesis <= 0) return 1;
  const periodMs = QUICKNET.periodSeconds * 1000;
  // Integer ceil: no division result is ever rounded.
  const up = sinceGenesis + periodMs - 1;
  return (up - (up % periodMs)) / periodMs + 1;
}

/** Unix seconds at which a quicknet round is published. */
export function beaconRoundTime(round: number): number {
  assertRound(round);
  return QUICKNET.genesisUnix + (round - 1) * QUICKNET.periodSeconds;
}

/** The message a quicknet round signs: H(u64be(R)). Handy for BeaconSignatureVerifier implementations. */
export function beaconSignedMessage(round: number): Buffer {
  assertRound(round);
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(round));
  return sha256(buf);
}

/** beacon_randomness = H(signature). */
export function beaconRandomness(signature: Uint8Array): Buffer {
  if (signature.length === 0) throw new DrawProtocolError('INVALID_BEACON', 'beacon signature is empty');
  return sha256(signature);
}

export interface SeedInput {
  readonly serverSeed: Uint8Array;
  readonly giveawayId: string;
  readonly entrantsRoot: Uint8Array;
  /** Empty or absent when the giveaway has no beacon; 32 bytes otherwise. */
  readonly beaconRandomness?: Uint8Array | null;
}

/** seed = HMAC-SHA256(server_seed, "giveaway-draw/v1" ‖ 0x00 ‖ utf8(giveaway_id) ‖ 0x00 ‖ root ‖ beacon). */
export function deriveSeed(input: SeedInput): Buffer {
  assertServerSeed(input.serverSeed);
  const id = encodeGiveawayId(input.giveawayId);
  if (input.entrantsRoot.length !== HASH_BYTES) {
    throw new DrawProtocolError('INVALID_ARGUMENT', 'entrants_root must be 32 bytes');
  }
  const beacon = input.beaconRandomness ?? Buffer.alloc(0);
  if (beacon.length !== 0 && beacon.length !== HASH_BYTES) {
    throw new DrawProtocolError('INVALID_BEACON', 'beacon randomness must be empty or 32 bytes');
  }
  return createHmac('sha256', input.serverSeed)
    .update(PROTOCOL_ID, 'utf8')
    .update(ZERO)
    .update(id)
    .update(ZERO)
    .update(input.entrantsRoot)
    .update(beacon)
    .digest();
}

const ZERO = Buffer.of(0);

function encodeGiveawayId(giveawayId: string): Buffer {
  if (typeof giveawayId !== 'string' || giveawayId.length === 0) {
    throw new DrawProtocolError('INVALID_ARGUMENT', 'giveaway_id must be a non-empty string');
  }
  const bytes = Buffer.from(giveawayId, 'utf8');
  // Lone surrogates would silently become U+FFFD, letting two different ids share one seed.
  if (bytes.toString('utf8') !== giveawayId) {
    throw new DrawProtocolError('INVALID_ARGUMENT', 'giveaway_id must be well-formed Unicode');
  }
  return bytes;
}

function assertServerSeed(serverSeed: Uint8Array): void {
  if (!(serverSeed instanceof Uint8Array) || serverSeed.length !== SERVER_SEED_BYTES) {
    throw new DrawProtocolError('INVALID_SEED', `server_seed must be ${SERVER_SEED_BYTES} bytes`);
  }
}

function assertRound(round: number): void {
  if (!Number.isSafeInteger(round) || round < 1) {
    throw new DrawProtocolError('INVALID_BEACON', `beacon round must be a positive integer, got ${round}`);
  }
}
