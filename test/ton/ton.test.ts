import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publicLinkProblem } from '../../server/ton/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { FakeTonApi } from './fake-tonapi.ts';
import { newWallet, signProof, type TestWallet } from './test-wallet.ts';

const DOMAIN = 'app.example.com';
const ALICE = { id: 5001, username: 'alice' };
const BOB = { id: 5002, username: 'bob' };
const CAROL = { id: 5003, username: 'carol' };
const USDT = '0:' + 'b1'.repeat(32);
const STAR = '0:' + 'c2'.repeat(32);

let db: TestDatabase;
let app: TestApp;
const tonapi = new FakeTonApi();
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  await tonapi.start();
  db = await createTestDatabase();
  app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    ROLES: 'api',
    PUBLIC_BASE_URL: `https://${DOMAIN}`,
    TONAPI_BASE_URL: tonapi.url,
    TONAPI_RPS: '1000',
  });
  tonapi.jettons.set(USDT, {
    master: USDT,
    symbol: 'USDT',
    decimals: 6,
    image: 'https://cache.example/usdt.png',
  });
  tonapi.jettons.set(STAR, { master: STAR, symbol: 'STAR', decimals: 18 });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
  await tonapi.stop();
});
beforeEach(() => {
  tonapi.down = false;
});

async function payloadFor(user: typeof ALICE): Promise<string> {
  await asUser(app.url, user)('/api/v1/users/me');
  const res = await asUser(app.url, user)('/api/v1/ton-proof/generatePayload');
  expect(res.status).toBe(200);
  const body = (await res.json()) as { ton_proof: { payload: string } };
  return body.ton_proof.payload;
}

function deployed(): TestWallet {
  const w = newWallet();
  tonapi.publicKeys.set(w.raw, w.publicKeyHex);
  return w;
}

async function checkProof(user: typeof ALICE, body: unknown) {
  const res = await asUser(app.url, user)('/api/v1/ton-proof/checkProof', { method: 'POST', json: body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function link(user: typeof ALICE, wallet: TestWallet) {
  const payload = await payloadFor(user);
  const proof = signProof(wallet, { domain: DOMAIN, timestamp: now(), payload });
  return checkProof(user, { address: wallet.raw, network: '-239', proof });
}

describe('TON Connect proof', () => {
  it('links a wallet whose proof verifies with the key TonAPI reports, and users/me shows it', async () => {
    const wallet = deployed();
    const res = await link(ALICE, wallet);
    expect(res).toMatchObject({ status: 200, body: { success: true } });
    const me = (await (await asUser(app.url, ALICE)('/api/v1/users/me')).json()) as {
      wallet_address: string;
    };
    expect(me.wallet_address).toBe(wallet.address.toString({ bounceable: false, urlSafe: true }));
  });

  it('links a never-deployed wallet from its state_init, whose hash is the address', async () => {
    const wallet = newWallet();
    const payload = await payloadFor(CAROL);
    const proof = signProof(wallet, { domain: DOMAIN, timestamp: now(), payload });
    const res = await checkProof(CAROL, {
      address: wallet.raw,
      network: '-239',
      proof: { ...proof, state_init: wallet.stateInit },
    });
    expect(res).toMatchObject({ status: 200, body: { success: true } });
  });

  it('refuses a never-deployed wallet without a state_init, with a reason', async () => {
    const wallet = newWallet();
    const payload = await payloadFor(CAROL);
    const proof = signProof(wallet, { domain: DOMAIN, timestamp: now(), payload });
    const res = await checkProof(CAROL, { address: wallet.raw, network: '-239', proof });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/never been used/);
  });

  it.each([
    [
      'a tampered signature',
      (p: ReturnType<typeof signProof>) => ({ ...p, signature: Buffer.alloc(64, 7).toString('base64') }),
      'proof.signature',
    ],
    [
      'a wrong domain',
      (p: ReturnType<typeof signProof>) => ({ ...p, domain: { lengthBytes: 8, value: 'evil.com' } }),
      'proof.domain.value',
    ],
    [
      'a wrong domain length',
      (p: ReturnType<typeof signProof>) => ({ ...p, domain: { ...p.domain, lengthBytes: 3 } }),
      'proof.domain.lengthBytes',
    ],
    [
      'a stale timestamp',
      (p: ReturnType<typeof signProof>) => ({ ...p, timestamp: now() - 301 }),
      'proof.timestamp',
    ],
    [
      'a future timestamp',
      (p: ReturnType<typeof signProof>) => ({ ...p, timestamp: now() + 120 }),
      'proof.timestamp',
    ],
  ])('refuses %s', async (_name, tamper, field) => {
    const wallet = deployed();
    const payload = await payloadFor(BOB);
    const proof = tamper(signProof(wallet, { domain: DOMAIN, timestamp: now(), payload }));
    const res = await checkProof(BOB, { address: wallet.raw, network: '-239', proof });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION', details: { fields: [{ field }] } });
  });

  it('refuses a proof signed for stale data even when the client re-signs with a fresh timestamp out of the TTL', async () => {
    const wallet = deployed();
    const payload = await payloadFor(BOB);
    const proof = signProof(wallet, { domain: DOMAIN, timestamp: now() - 400, payload });
    expect((await checkProof(BOB, { address: wallet.raw, network: '-239', proof })).status).toBe(400);
  });

  it('refuses a replayed payload', async () => {
    const wallet = deployed();
    const payload = await payloadFor(BOB);
    const proof = signProof(wallet, { domain: DOMAIN, timestamp: now(), payload });
    expect((await checkProof(BOB, { address: wallet.raw, network: '-239', proof })).status).toBe(200);
    const again = await checkProof(BOB, { address: wallet.raw, network: '-239', proof });
    expect(again).toMatchObject({ status: 400, body: { details: { fields: [{ field: 'proof.payload' }] } } });
  });

  it("refuses another user's payload", async () => {
    const wallet = deployed();
    const payload = await payloadFor(ALICE);
    const proof = signProof(wallet, { domain: DOMAIN, timestamp: now(), payload });
    const res = await checkProof(BOB, { address: wallet.raw, network: '-239', proof });
    expect(res).toMatchObject({ status: 400, body: { details: { fields: [{ field: 'proof.payload' }] } } });
  });

  it('ignores a key the client names: a deployed wallet is checked with the chain key only', async () => {
    const victim = deployed();
    const attacker = newWallet();
    const payload = await payloadFor(BOB);
    // Signed by the attacker's key, which the attacker also offers through its own state_init and a public_key field.
    const proof = signProof(
      { keys: attacker.keys, address: victim.address },
      { domain: DOMAIN, timestamp: now(), payload },
    );
    const res = await checkProof(BOB, {
      address: victim.raw,
      network: '-239',
      public_key: attacker.publicKeyHex,
      proof: { ...proof, state_init: attacker.stateInit },
    });
    expect(res).toMatchObject({ status: 400, body: { details: { fields: [{ field: 'proof.signature' }] } } });
  });

  it('refuses a state_init that does not hash to the address', async () => {
    const victim = newWallet();
    const attacker = newWallet();
    const payload = await payloadFor(BOB);
    const proof = signProof(
      { keys: attacker.keys, address: victim.address },
      { domain: DOMAIN, timestamp: now(), payload },
    );
    const res = await checkProof(BOB, {
      address: victim.raw,
      network: '-239',
      proof: { ...proof, state_init: attacker.stateInit },
    });
    expect(res).toMatchObject({ status: 400, body: { details: { fields: [{ field: 'state_init' }] } } });
  });

  it('refuses a proof for another address than the one signed', async () => {
    const signed = deployed();
    const other = deployed();
    const payload = await payloadFor(BOB);
    const proof = signProof(signed, { domain: DOMAIN, timestamp: now(), payload });
    const res = await checkProof(BOB, { address: other.raw, network: '-239', proof });
    expect(res).toMatchObject({ status: 400, body: { details: { fields: [{ field: 'proof.signature' }] } } });
  });

  it('refuses testnet proofs on a mainnet server, for both chain ids the app may send', async () => {
    const wallet = deployed();
    for (const network of ['-3', '-1']) {
      const payload = await payloadFor(BOB);
      const proof = signProof(wallet, { domain: DOMAIN, timestamp: now(), payload });
      const res = await checkProof(BOB, { address: wallet.raw, network, proof });
      expect(res).toMatchObject({ status: 400, body: { details: { fields: [{ field: 'network' }] } } });
    }
  });

  it("answers 409 with the app's string for a wallet linked to another user, and a second wallet replaces the first", async () => {
    const shared = deployed();
    expect((await link(ALICE, shared)).status).toBe(200);
    const res = await link(BOB, shared);
    expect(res).toMatchObject({ status: 409, body: { error: 'wallet already linked to another account' } });
    const second = deployed();
    expect((await link(ALICE, second)).status).toBe(200);
    expect((await link(BOB, shared)).status).toBe(200);
  });

  it('unlinks with DELETE users/me/wallet', async () => {
    const wallet = deployed();
    await link(CAROL, wallet);
    expect((await asUser(app.url, CAROL)('/api/v1/users/me/wallet', { method: 'DELETE' })).status).toBe(204);
    const me = (await (await asUser(app.url, CAROL)('/api/v1/users/me')).json()) as {
      wallet_address: string;
    };
    expect(me.wallet_address).toBe('');
  });

  it('names the bad field of a malformed body (400), never a 500', async () => {
    const res = await checkProof(BOB, { address: 'nope', network: '-239', proof: { timestamp: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION');
  });
});

describe('holdton and holdjetton', () => {
  const user = { id: 5101, username: 'holder' };
  let wallet: TestWallet;
  let creatorId = 5200;
  let holderId = 5300;

  beforeAll(async () => {
    wallet = deployed();
    expect((await link(user, wallet)).status).toBe(200);
  });

  /** A user with a fresh linked wallet: balances are cached briefly per wallet, so each case reads its own. */
  async function holder(ton: bigint, jettons: Array<{ master: string; balance: bigint }> = []) {
    const u = { id: ++holderId, username: `holder${holderId}` };
    const w = deployed();
    tonapi.balances.set(w.raw, ton);
    tonapi.jettonBalances.set(w.raw, jettons);
    expect((await link(u, w)).status).toBe(200);
    return u;
  }

  async function giveawayWith(requirement: Record<string, unknown>) {
    const creator = { id: ++creatorId, username: `creator${creatorId}` };
    const res = await asUser(app.url, creator)('/api/v1/giveaways', {
      method: 'POST',
      json: createBody({ requirements: [requirement] }),
    });
    return { status: res.status, body: (await res.json()) as { id: string; error?: string; code?: string } };
  }

  const join = (u: typeof ALICE, id: string) =>
    asUser(app.url, u)(`/api/v1/giveaways/${id}/join`, { method: 'POST' });

  it('holdton: a balance just under the minimum fails, at the minimum passes', async () => {
    const created = await giveawayWith({ type: 'holdton', ton_min_balance_nano: 5_000_000_000, amount: 5 });
    expect(created.status).toBe(201);
    const poor = await holder(4_999_999_999n);
    expect((await join(poor, created.body.id)).status).toBe(403);
    const check = (await (
      await asUser(app.url, poor)(`/api/v1/giveaways/${created.body.id}/check-requirements`)
    ).json()) as {
      results: Array<{ status: string; code: string }>;
    };
    expect(check.results[0]).toMatchObject({ status: 'failed', code: 'balance_too_low' });
    const enough = await holder(5_000_000_000n);
    expect((await join(enough, created.body.id)).status).toBe(200);
  });

  it('holdton: a user with no linked wallet fails with a reason to connect one', async () => {
    const created = await giveawayWith({ type: 'holdton', ton_min_balance_nano: 1 });
    await asUser(app.url, ALICE)('/api/v1/users/me/wallet', { method: 'DELETE' });
    const res = await asUser(app.url, ALICE)(`/api/v1/giveaways/${created.body.id}/check-requirements`);
    const body = (await res.json()) as { results: Array<{ code: string; error: string }>; all_met: boolean };
    expect(body.all_met).toBe(false);
    expect(body.results[0]).toMatchObject({ code: 'wallet_not_linked' });
    expect(body.results[0]?.error).toMatch(/Connect a TON wallet/);
  });

  it('holdjetton: an 18-decimal balance beyond 2^64 is compared exactly; symbol and image come from TonAPI', async () => {
    const created = await giveawayWith({
      type: 'holdjetton',
      address: STAR,
      amount: 20,
      jetton_address: STAR,
      jetton_min_amount: 20,
      jetton_symbol: 'FAKE',
      jetton_image: 'https://evil.example/x.png',
    });
    expect(created.status).toBe(201);
    const view = (await (await asUser(app.url, user)(`/api/v1/giveaways/${created.body.id}`)).json()) as {
      requirements: Array<Record<string, unknown>>;
    };
    expect(view.requirements[0]).toMatchObject({ jetton_symbol: 'STAR', jetton_min_amount: 20 });
    expect(view.requirements[0]?.jetton_image).toBeUndefined();
    // 19.999999999999999999 STAR: one base unit short of 20, a number no int64 or double holds.
    const short = await holder(0n, [
      { master: USDT, balance: 10n ** 30n },
      { master: STAR, balance: 19_999_999_999_999_999_999n },
    ]);
    expect((await join(short, created.body.id)).status).toBe(403);
    const rich = await holder(0n, [{ master: STAR, balance: 20_000_000_000_000_000_000n }]);
    expect((await join(rich, created.body.id)).status).toBe(200);
    const check = await asUser(app.url, rich)('/api/v1/requirements/holdjetton/check', {
      method: 'POST',
      json: { jetton_address: STAR, jetton_min_amount: '20' },
    });
    expect(await check.json()).toEqual({
      ok: true,
      balance_nano: '20000000000000000000',
      decimals: 18,
      symbol: 'STAR',
    });
  });

  it('holdjetton: a fractional amount is kept exact, and more digits than the decimals are refused', async () => {
    const ok = await giveawayWith({ type: 'holdjetton', jetton_address: USDT, jetton_min_amount: 0.5 });
    expect(ok.status).toBe(201);
    const view = (await (await asUser(app.url, user)(`/api/v1/giveaways/${ok.body.id}`)).json()) as {
      requirements: Array<Record<string, unknown>>;
    };
    expect(view.requirements[0]).toMatchObject({
      jetton_min_amount: 0.5,
      jetton_symbol: 'USDT',
      jetton_image: 'https://cache.example/usdt.png',
    });
    const bad = await giveawayWith({
      type: 'holdjetton',
      jetton_address: USDT,
      jetton_min_amount: '0.0000001',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION');
  });

  it('TonAPI down: join is REQUIREMENTS_UNKNOWN (fail closed), the check route is UNAVAILABLE', async () => {
    const created = await giveawayWith({ type: 'holdton', ton_min_balance_nano: 7 });
    const otherUser = { id: 5102, username: 'holder2' };
    expect((await link(otherUser, deployed())).status).toBe(200);
    tonapi.down = true;
    const res = await join(otherUser, created.body.id);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('REQUIREMENTS_UNKNOWN');
    const check = await asUser(app.url, otherUser)('/api/v1/requirements/holdton/check', {
      method: 'POST',
      json: { ton_min_balance_nano: 7 },
    });
    expect(check.status).toBe(503);
  });

  it('jetton metadata: known jetton answers its facts; a bad address is a 400', async () => {
    const res = await asUser(app.url, user)(`/api/v1/jettons/${USDT}/metadata`);
    expect(await res.json()).toMatchObject({
      decimals: 6,
      symbol: 'USDT',
      image: 'https://cache.example/usdt.png',
    });
    expect((await asUser(app.url, user)('/api/v1/jettons/not-an-address/metadata')).status).toBe(400);
  });

  it('holdton check route answers a lossless balance, and "wallet not linked" without a wallet', async () => {
    const whale = await holder(123_456_789_012_345_678_901n);
    const res = await asUser(app.url, whale)('/api/v1/requirements/holdton/check', {
      method: 'POST',
      json: { ton_min_balance_nano: '123456789012345678901' },
    });
    expect(await res.json()).toEqual({ ok: true, balance_nano: '123456789012345678901' });
    const none = await asUser(app.url, { id: 5999, username: 'nobody' })(
      '/api/v1/requirements/holdton/check',
      {
        method: 'POST',
        json: { ton_min_balance_nano: 1 },
      },
    );
    expect(await none.json()).toEqual({ ok: false, error: 'wallet not linked' });
  });
});

describe('publicLinkProblem', () => {
  it('accepts a public https URL and explains anything else', () => {
    expect(publicLinkProblem('https://giveaway.example.com')).toBeNull();
    expect(publicLinkProblem('http://localhost:8080')).toMatch(/not https/);
    expect(publicLinkProblem('https://localhost')).toMatch(/cannot reach/);
    expect(publicLinkProblem('nope')).toMatch(/not a URL/);
  });
});
