// Linking TON wallets with a verified TON Connect proof: payloads bound to the requesting user, single use and
// short-lived; the signature checked with the wallet's key from the chain (or from a state_init whose hash is
// the address, for a wallet never deployed), never a key the client names. One wallet per user, one user per wallet.
import { randomBytes } from 'node:crypto';
import type { Address } from '@ton/core';
import type pg from 'pg';
import * as db from 'zapatos/db';
import type { CheckProofBody } from '../../schema/contract/ton.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/index.ts';
import { displayAddress, parseTonAddress } from './ton-address.ts';
import type { TonChain } from './ton-chain.ts';
import { publicKeysFromStateInit, stateInitFor, verifyTonProofSignature } from './ton-proof.ts';
import * as q from './ton.queries.ts';

export const WALLET_LINKED_ELSEWHERE = 'wallet already linked to another account';
/** TON Connect's chain ids; the Mini App sends "-1" for testnet, so both count. */
const MAINNET = '-239';
const TESTNET = new Set(['-3', '-1']);
/** Clock skew allowed for a timestamp "from the future". */
const FUTURE_SKEW_SEC = 5;

export interface TonWalletsOptions {
  pool: pg.Pool;
  chain: TonChain;
  logger: Logger;
  network: 'mainnet' | 'testnet';
  proofDomains: readonly string[];
  payloadTtlMs: number;
  now?: () => number;
}

export interface LinkedWallet {
  address: string;
  raw: string;
  network: 'mainnet' | 'testnet';
}

function refuse(field: string, message: string): AppError {
  return new AppError('VALIDATION', message, { fields: [{ field, message }] });
}

export class TonWalletsService {
  private readonly now: () => number;

  constructor(private readonly opts: TonWalletsOptions) {
    this.now = opts.now ?? Date.now;
  }

  async generatePayload(userId: number): Promise<{ payload: string; expiresAt: Date }> {
    const payload = randomBytes(32).toString('hex');
    const expiresAt = new Date(this.now() + this.opts.payloadTtlMs);
    await q.insertPayload(this.opts.pool, payload, userId, expiresAt);
    return { payload, expiresAt };
  }

  /** Verifies the proof and links the wallet; throws a coded error naming what was refused. */
  async checkProof(userId: number, body: CheckProofBody): Promise<LinkedWallet> {
    const { proof } = body;
    const network = this.networkOf(body.network);
    const parsed = parseTonAddress(body.address);
    if (!parsed) throw refuse('address', 'address is not a TON address');
    const { address } = parsed;

    const domain = proof.domain.value.toLowerCase();
    if (!this.opts.proofDomains.includes(domain)) {
      throw refuse('proof.domain.value', `domain ${proof.domain.value.slice(0, 100)} is not this app's`);
    }
    if (Buffer.byteLength(proof.domain.value, 'utf8') !== proof.domain.lengthBytes) {
      throw refuse('proof.domain.lengthBytes', 'domain lengthBytes does not match the domain');
    }
    const nowSec = Math.floor(this.now() / 1000);
    if (proof.timestamp > nowSec + FUTURE_SKEW_SEC)
      throw refuse('proof.timestamp', 'proof timestamp is in the future');
    if (nowSec - proof.timestamp > this.opts.payloadTtlMs / 1000) {
      throw refuse('proof.timestamp', 'proof is too old; connect the wallet again');
    }

    // Consumed before the signature check: a payload is good for one attempt, whatever its outcome.
    const issued = await q.consumePayload(this.opts.pool, proof.payload);
    if (!issued || issued.expiresAt.getTime() <= this.now()) {
      throw refuse(
        'proof.payload',
        'proof payload is unknown, expired or already used; connect the wallet again',
      );
    }
    if (issued.userId !== userId) throw refuse('proof.payload', 'proof payload was issued to another user');

    const keys = await this.keysFor(address, body.state_init ?? proof.state_init);
    if (!keys.some((key) => verifyTonProofSignature(address, proof, key))) {
      throw refuse('proof.signature', 'proof signature does not verify with the wallet key');
    }
    const key = keys.find((k) => verifyTonProofSignature(address, proof, k)) as Buffer;

    const display = displayAddress(address, network === 'testnet');
    await db
      .serializable(this.opts.pool, async (txn) => {
        const owner = await q.selectWalletOwner(txn, parsed.raw);
        if (owner && Number(owner.user_id) !== userId)
          throw new AppError('CONFLICT', WALLET_LINKED_ELSEWHERE);
        await q.upsertWallet(
          txn,
          { user_id: userId, address: parsed.raw, network, public_key: key.toString('hex') },
          display,
        );
      })
      .catch((err: unknown) => {
        // Two users racing for one wallet: the UNIQUE constraint decides.
        if ((err as { code?: string }).code === '23505')
          throw new AppError('CONFLICT', WALLET_LINKED_ELSEWHERE);
        throw err;
      });
    return { address: display, raw: parsed.raw, network };
  }

  async wallet(userId: number): Promise<LinkedWallet | null> {
    const row = await q.selectWallet(this.opts.pool, userId);
    if (!row) return null;
    const parsed = parseTonAddress(row.address);
    if (!parsed) return null;
    const network = row.network === 'testnet' ? 'testnet' : 'mainnet';
    return { address: displayAddress(parsed.address, network === 'testnet'), raw: row.address, network };
  }

  unlink(userId: number): Promise<boolean> {
    return q.deleteWallet(this.opts.pool, userId);
  }

  private networkOf(chain: string): 'mainnet' | 'testnet' {
    if (chain === MAINNET) {
      if (this.opts.network !== 'mainnet')
        throw refuse('network', 'this server accepts testnet wallets only');
      return 'mainnet';
    }
    if (TESTNET.has(chain)) {
      if (this.opts.network !== 'testnet') throw refuse('network', 'testnet wallets are not accepted here');
      return 'testnet';
    }
    throw refuse('network', 'network must be -239 (mainnet) or -3 (testnet)');
  }

  /** The chain's key for a deployed wallet; for an undeployed one, the keys in a state_init that hashes to it. */
  private async keysFor(address: Address, stateInit: string | undefined): Promise<Buffer[]> {
    const onChain = await this.opts.chain.publicKey(address);
    if (onChain) return [onChain];
    if (!stateInit) {
      throw refuse('address', 'this wallet has never been used on-chain; send a transaction from it first');
    }
    const init = stateInitFor(address, stateInit);
    if (!init) throw refuse('state_init', 'state_init does not belong to this address');
    return publicKeysFromStateInit(init);
  }
}
