// Inputs of the spec's §8 test vectors, shared by the protocol tests.
import type { EntrantInput } from '../../../server/draws/protocol/index.ts';

export const SERVER_SEED = Buffer.from(Array.from({ length: 32 }, (_, i) => i));

export const VECTOR_A = {
  giveawayId: 'g-1',
  entrants: Array.from({ length: 1000 }, (_, i): EntrantInput => ({
    user_id: 1000 + i,
    weight: 1 + (i % 3),
  })),
  winnersCount: 10,
  reservesCount: 5,
  seedCommitment: '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd',
  root: '35f9a0d18e1a3d57c612ab910280cf746cdb309307808bd930d62c6050c8f2ff',
  seed: 'f7400eafb83c589d553f684b22d58206a2221699b35838676ca2082581502b8d',
  winners: [1023, 1375, 1149, 1386, 1215, 1923, 1778, 1830, 1020, 1965],
  reserves: [1671, 1299, 1630, 1659, 1426],
  exclusions: [1023, 1149],
  winnersWithExclusions: [1375, 1386, 1215, 1923, 1778, 1830, 1020, 1965, 1671, 1299],
  reservesWithExclusions: [1630, 1659, 1426, 1941, 1922],
} as const;

export const VECTOR_B = {
  giveawayId: 'g-2',
  entrants: [
    { user_id: 5, weight: 1 },
    { user_id: 7, weight: 3 },
    { user_id: 11, weight: 2 },
  ] satisfies EntrantInput[],
  winnersCount: 2,
  reservesCount: 1,
  round: 657413,
  signature:
    'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b',
  randomness: 'fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587',
  root: '1c3ef40e10cfa21e01e5568e45bc85e6822f1350c6a5d950b8373a1abe4fa6be',
  winners: [5, 11],
  reserves: [7],
} as const;

export const ids = (list: readonly bigint[]): number[] => list.map(Number);
