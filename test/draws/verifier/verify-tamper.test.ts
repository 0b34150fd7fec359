// Tampering with a published draw is caught at the step it touches, by the verifier CLI's engine (server
// protocol + BLS) and by the SDK's independent verifier alike: an entrant, the seed, the beacon signature, an
// exclusion, a reroll.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyDraw } from '../../../client-sdk/src/verify/verify-draw.ts';
import { MerkleWorkers } from '../../../server/draws/entrants/merkle-workers.ts';
import type { RandomProofBundle } from '../../../server/draws/protocol/index.ts';
import { verifyEvidence } from '../../../server/draws/verifier/verify-evidence.ts';
import type { DrawEvidence } from '../../../server/draws/verifier/verify-source.ts';

interface Vector {
  bundle: RandomProofBundle;
  entrants: Array<{ user_id: number; weight: number }>;
  commitment: DrawEvidence['published'];
}

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../vectors/draw/${name}.json`, import.meta.url), 'utf8')) as Vector;
const workers = new MerkleWorkers(2);
afterAll(() => workers.close());

async function firstFailure(v: Vector): Promise<{ server: string | null; sdk: string | null }> {
  const columns = {
    idHi: Uint32Array.from(v.entrants, (e) => Math.floor(e.user_id / 2 ** 32)),
    idLo: Uint32Array.from(v.entrants, (e) => e.user_id >>> 0),
    weights: Uint32Array.from(v.entrants, (e) => e.weight),
  };
  const evidence: DrawEvidence = {
    giveawayId: v.bundle.giveaway_id,
    bundle: v.bundle,
    entrants: columns,
    entrantsProblem: null,
    published: v.commitment,
    source: 'test',
  };
  const server = await verifyEvidence(evidence, { workers });
  const sdk = await verifyDraw(v.bundle, v.entrants, {
    published: {
      seed_commitment: v.commitment?.seed_commitment ?? null,
      beacon_round: v.commitment?.beacon?.round ?? null,
    },
  });
  return { server: server.steps.find((s) => !s.ok)?.step ?? null, sdk: sdk.failedStep };
}

const tamper = (name: string, change: (v: Vector) => void): Vector => {
  const v = load(name);
  change(v);
  return v;
};

describe('tampered proofs fail at the right step', () => {
  it('pass untouched', async () => {
    for (const name of ['weights', 'exclusions', 'reroll', 'beacon']) {
      expect(await firstFailure(load(name)), name).toEqual({ server: null, sdk: null });
    }
  });

  it('one entrant changed (weight or id): entrants', async () => {
    const weight = tamper('weights', (v) => {
      const e = v.entrants[17];
      if (e) e.weight += 1;
    });
    expect(await firstFailure(weight)).toEqual({ server: 'entrants', sdk: 'entrants' });
    const swapped = tamper('weights', (v) => {
      const e = v.entrants.at(-1);
      if (e) e.user_id += 1;
    });
    expect(await firstFailure(swapped)).toEqual({ server: 'entrants', sdk: 'entrants' });
  });

  it('the server seed changed: commitment', async () => {
    const v = tamper('weights', (x) => {
      (x.bundle as { server_seed: string }).server_seed = 'ff' + x.bundle.server_seed.slice(2);
    });
    expect(await firstFailure(v)).toEqual({ server: 'commitment', sdk: 'commitment' });
  });

  it('the beacon signature changed (randomness recomputed to match): beacon', async () => {
    const v = tamper('beacon', (x) => {
      const beacon = x.bundle.beacon as { signature: string; randomness: string } | null;
      if (!beacon) return;
      beacon.signature = 'a' + beacon.signature.slice(1);
      // Consistent as far as hashing goes: only the BLS check can tell.
      beacon.randomness = createHash('sha256').update(Buffer.from(beacon.signature, 'hex')).digest('hex');
    });
    expect(await firstFailure(v)).toEqual({ server: 'beacon', sdk: 'beacon' });
  });

  it('an exclusion changed to another entrant: selection', async () => {
    const v = tamper('exclusions', (x) => {
      const e = x.bundle.exclusions[0] as { user_id: number };
      e.user_id =
        x.entrants.find((p) => !x.bundle.exclusions.some((q) => q.user_id === p.user_id))?.user_id ?? 0;
    });
    expect(await firstFailure(v)).toEqual({ server: 'selection', sdk: 'selection' });
  });

  it('a reroll replacement changed: rerolls', async () => {
    const v = tamper('reroll', (x) => {
      const r = x.bundle.rerolls[3] as { by_user_id: number };
      r.by_user_id = x.entrants[0]?.user_id ?? 0;
    });
    expect(await firstFailure(v)).toEqual({ server: 'rerolls', sdk: 'rerolls' });
  });
});
