// Writes the draw protocol v1 test vectors beside this file: `npx tsx test/vectors/draw/generate.ts`.
// Each vector is {description, inputs, expected, bundle, entrants, commitment}: enough for an independent
// implementation to recompute the bundle, and for `npm run verify -- <file>` to check it. Deterministic: the
// same code always writes the same files (tests compare the server's draw and the SDK's verifier with them).
import { createHash } from 'node:crypto';
import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import {
  QUICKNET,
  buildProofBundle,
  canonicalEntrantList,
  currentWinners,
  deriveSeed,
  freezeEntrants,
  seedCommitment,
  type EntrantInput,
  type RandomProofBundle,
} from '../../../server/draws/protocol/index.ts';
import { planReroll } from '../../../server/draws/rerolls/index.ts';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const DRAWN_AT = new Date('2025-01-01T00:00:00.000Z');
/** Drand quicknet round 657413, the real beacon of the spec (§3). */
const BEACON = {
  round: 657413,
  signature:
    'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b',
};

interface Spec {
  name: string;
  description: string;
  /** A UUID, so the server's own draw can reproduce the vector in a database. */
  giveawayId: string;
  entrants: EntrantInput[];
  winners: number;
  reserves: number;
  beacon?: boolean;
  /** Indexes into the picks of a draw without exclusions (winners then reserves) to exclude. */
  excludePicks?: number[];
  rerolls?: Array<{ place: number; reason: string; excludeFirstStreamPick?: string }>;
}

const seedOf = (name: string) => createHash('sha256').update(`giveaway-draw/v1 test vector ${name}`).digest();
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const range = (n: number, f: (i: number) => EntrantInput) => Array.from({ length: n }, (_, i) => f(i));

const SPECS: Spec[] = [
  {
    name: 'weights',
    description: '200 entrants with weights 1..7 (1 + granted tickets); 5 winners, 3 reserves.',
    giveawayId: uuid(1),
    entrants: range(200, (i) => ({ user_id: 100_000 + i * 37, weight: 1 + ((i * 5) % 7) })),
    winners: 5,
    reserves: 3,
  },
  {
    name: 'exclusions',
    description: 'Picks found ineligible at draw time are skipped and published in pick order.',
    giveawayId: uuid(2),
    entrants: range(60, (i) => ({ user_id: 7_000_000 + i, weight: 1 + (i % 3) })),
    winners: 4,
    reserves: 2,
    excludePicks: [1, 4],
  },
  {
    name: 'reserves',
    description: 'Reserves are drawn after the winners from the same stream: 3 winners, 10 reserves.',
    giveawayId: uuid(3),
    entrants: range(50, (i) => ({ user_id: 5_000_000_000 + i * 1_000_003, weight: 1 + (i % 2) })),
    winners: 3,
    reserves: 10,
  },
  {
    name: 'reroll',
    description:
      'Four rerolls: two take the unused reserves in order, then the stream continues; its first pick is ' +
      'ineligible and joins the exclusions. Nothing is re-drawn.',
    giveawayId: uuid(4),
    entrants: range(30, (i) => ({ user_id: 900 + i, weight: 1 + (i % 4) })),
    winners: 3,
    reserves: 2,
    rerolls: [
      { place: 2, reason: 'declined' },
      { place: 1, reason: 'unclaimed' },
      { place: 2, reason: 'ineligible', excludeFirstStreamPick: 'not_subscribed' },
      { place: 3, reason: 'other' },
    ],
  },
  {
    name: 'zero-entrants',
    description: 'Nobody entered: entrants_root is 32 zero bytes, no winners, no reserves.',
    giveawayId: uuid(5),
    entrants: [],
    winners: 3,
    reserves: 2,
  },
  {
    name: 'one-entrant',
    description: 'A single entrant wins place 1; no one is left for place 2 or a reserve.',
    giveawayId: uuid(6),
    entrants: [{ user_id: 424242, weight: 9 }],
    winners: 2,
    reserves: 1,
  },
  {
    name: 'winners-exceed-entrants',
    description: 'More places than entrants: everyone wins, in draw order; no reserves remain.',
    giveawayId: uuid(7),
    entrants: range(4, (i) => ({ user_id: 31 + i * 2, weight: 4 - i })),
    winners: 10,
    reserves: 5,
  },
  {
    name: 'beacon',
    description: 'With the drand quicknet beacon (real round 657413): the seed mixes in H(signature).',
    giveawayId: uuid(8),
    entrants: range(25, (i) => ({ user_id: 600 + i * 3, weight: 1 + (i % 5) })),
    winners: 3,
    reserves: 2,
    beacon: true,
  },
];

async function generate(spec: Spec): Promise<object> {
  const serverSeed = seedOf(spec.name);
  const frozen = freezeEntrants(spec.entrants);
  const base = {
    giveawayId: spec.giveawayId,
    serverSeed,
    beacon: spec.beacon ? BEACON : null,
    entrants: frozen,
    winnersCount: spec.winners,
    reservesCount: spec.reserves,
    drawnAt: DRAWN_AT,
  };
  let exclusions: Array<{ user_id: number | string; reason: string }> = [];
  if (spec.excludePicks) {
    const plain = buildProofBundle(base);
    const picks = [...plain.winners.map((w) => w.user_id), ...plain.reserves];
    exclusions = spec.excludePicks.map((i) => ({ user_id: picks[i] ?? 0, reason: 'not_subscribed' }));
  }
  let bundle: RandomProofBundle = buildProofBundle({ ...base, exclusions });
  for (const r of spec.rerolls ?? []) {
    const reject = r.excludeFirstStreamPick;
    let rejected = false;
    const plan = await planReroll({
      bundle,
      entrants: frozen,
      place: r.place,
      reason: r.reason,
      decide: () => {
        if (reject && !rejected) {
          rejected = true;
          return Promise.resolve({ eligible: false, reason: reject });
        }
        return Promise.resolve({ eligible: true, reason: null });
      },
    });
    bundle = plan.bundle;
  }
  const seed = deriveSeed({
    serverSeed,
    giveawayId: spec.giveawayId,
    entrantsRoot: frozen.root,
    beaconRandomness: bundle.beacon ? Buffer.from(bundle.beacon.randomness, 'hex') : null,
  });
  return {
    description: spec.description,
    inputs: {
      server_seed: serverSeed.toString('hex'),
      giveaway_id: spec.giveawayId,
      winners_count: spec.winners,
      reserves_count: spec.reserves,
      beacon: spec.beacon ? BEACON : null,
      exclusions_at_draw: exclusions,
      rerolls: (spec.rerolls ?? []).map(({ place, reason }) => ({ place, reason })),
    },
    expected: {
      seed_commitment: seedCommitment(serverSeed),
      entrants_root: frozen.root.toString('hex'),
      seed: seed.toString('hex'),
      winners_after_rerolls: currentWinners(bundle),
    },
    commitment: {
      seed_commitment: seedCommitment(serverSeed),
      beacon: spec.beacon
        ? { network: QUICKNET.network, chain_hash: QUICKNET.chainHash, round: BEACON.round }
        : null,
    },
    bundle,
    entrants: canonicalEntrantList(frozen),
  };
}

for (const file of readdirSync(DIR)) if (file.endsWith('.json')) unlinkSync(`${DIR}${file}`);
for (const spec of SPECS) {
  const path = `${DIR}${spec.name}.json`;
  const text = JSON.stringify(await generate(spec), null, 2);
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(text, { ...options, filepath: path }));
  console.log(`wrote ${path}`);
}
