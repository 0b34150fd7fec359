// The drand beacon path against local fake relays: the spec's real round verifies (BLS, pinned quicknet key),
// forged answers are rejected and logged, the first good answer wins, and a missing round is "unavailable".
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyQuicknetSignature } from '../../../server/draws/beacon/beacon-verifier.ts';
import { BeaconUnavailableError, DrandRelays } from '../../../server/draws/beacon/drand-relays.ts';
import { QUICKNET, beaconSignedMessage } from '../../../server/draws/protocol/index.ts';
import { REAL_ROUND, startFakeRelay, type FakeRelay } from '../http-harness.ts';

const relays: FakeRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.close()));
});

async function relay(answer: FakeRelay['answer']): Promise<FakeRelay> {
  const r = await startFakeRelay(answer);
  relays.push(r);
  return r;
}

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

const real = (round: number) => (round === REAL_ROUND.round ? { status: 200, body: REAL_ROUND } : null);
const verify = (round: number, signature: string) =>
  verifyQuicknetSignature({
    round,
    signature: Buffer.from(signature, 'hex'),
    message: beaconSignedMessage(round),
    publicKey: QUICKNET.publicKey,
    scheme: QUICKNET.scheme,
    dst: QUICKNET.dst,
  });

describe('quicknet BLS verification', () => {
  it('accepts the real round 657413 of the spec and nothing else', () => {
    expect(verify(REAL_ROUND.round, REAL_ROUND.signature)).toBe(true);
    expect(verify(REAL_ROUND.round + 1, REAL_ROUND.signature)).toBe(false);
    const flipped = (REAL_ROUND.signature.startsWith('b') ? 'a' : 'b') + REAL_ROUND.signature.slice(1);
    expect(verify(REAL_ROUND.round, flipped)).toBe(false);
    expect(verify(REAL_ROUND.round, 'ab'.repeat(48))).toBe(false);
    expect(verify(REAL_ROUND.round, REAL_ROUND.signature.slice(0, 94))).toBe(false);
  });
});

describe('DrandRelays', () => {
  it('fetches the committed round from GET {relay}/{chain_hash}/public/{round} and checks it', async () => {
    const r = await relay(real);
    const drand = new DrandRelays({ urls: [`${r.url}/`], logger: pino({ level: 'silent' }) });
    const beacon = await drand.fetchRound(REAL_ROUND.round);
    expect(beacon).toEqual(REAL_ROUND);
    expect(r.requests).toEqual([`/${QUICKNET.chainHash}/public/${REAL_ROUND.round}`]);
    // A verified round is kept: many giveaways ending together share it.
    await drand.fetchRound(REAL_ROUND.round);
    expect(r.requests).toHaveLength(1);
  });

  it('rejects and logs forged beacons (wrong signature, wrong round, bad randomness), never returning one', async () => {
    const forgeries: Array<[string, object]> = [
      ['wrong signature', { ...REAL_ROUND, signature: 'a' + REAL_ROUND.signature.slice(1) }],
      ['wrong round', { ...REAL_ROUND, round: REAL_ROUND.round + 1 }],
      ['bad randomness', { ...REAL_ROUND, randomness: '00'.repeat(32) }],
      ['not hex', { ...REAL_ROUND, signature: 'zz'.repeat(48) }],
    ];
    for (const [what, body] of forgeries) {
      const { logger, lines } = capturingLogger();
      const r = await relay(() => ({ status: 200, body }));
      const drand = new DrandRelays({ urls: [r.url], logger, retryDelaysMs: [10] });
      const err = await drand.fetchRound(REAL_ROUND.round).catch((e: unknown) => e);
      expect(err, what).toBeInstanceOf(BeaconUnavailableError);
      expect((err as Error).message).toMatch(/rejected/);
      const rejected = lines.filter((l) => l.msg === 'Rejected a drand beacon that does not verify');
      expect(rejected.length, what).toBe(2); // one per attempt
      expect(rejected[0]).toMatchObject({ level: 50, relay: r.url, round: REAL_ROUND.round });
    }
  });

  it('takes the first answer that verifies when relays disagree or fail', async () => {
    const forged = await relay(() => ({ status: 200, body: { ...REAL_ROUND, signature: 'ab'.repeat(48) } }));
    const down = await relay(() => ({ status: 500, body: { error: 'boom' } }));
    const good = await relay(real);
    const drand = new DrandRelays({
      urls: [forged.url, down.url, good.url],
      logger: pino({ level: 'silent' }),
      retryDelaysMs: [],
    });
    expect(await drand.fetchRound(REAL_ROUND.round)).toEqual(REAL_ROUND);
  });

  it('retries with backoff, then reports the round unavailable (404 from every relay)', async () => {
    const r = await relay(() => null);
    const drand = new DrandRelays({
      urls: [r.url],
      logger: pino({ level: 'silent' }),
      retryDelaysMs: [10, 20],
    });
    const err = await drand.fetchRound(REAL_ROUND.round).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BeaconUnavailableError);
    expect((err as Error).message).toMatch(/HTTP 404/);
    expect(r.requests).toHaveLength(3);
  });

  it('does not ask for a round that is not due yet, and says when to come back', async () => {
    const r = await relay(real);
    const drand = new DrandRelays({ urls: [r.url], logger: pino({ level: 'silent' }), now: () => 0 });
    const err = await drand.fetchRound(REAL_ROUND.round).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BeaconUnavailableError);
    expect((err as BeaconUnavailableError).retryInMs).toBeGreaterThan(1_000_000);
    expect(r.requests).toEqual([]);
  });
});
