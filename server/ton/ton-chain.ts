// What we read from the chain through TonAPI, typed: wallet public keys, TON balances, jetton balances and
// jetton metadata. Balances are bigint end to end (18-decimal jettons overflow int64: a legacy bug).
import type { Address } from '@ton/core';
import { AppError } from '../platform/errors.ts';
import { parseTonAddress } from './ton-address.ts';
import { toBigInt, type TonApiClient } from './tonapi-client.ts';

export interface JettonMetadata {
  /** The master, raw form. */
  raw: string;
  decimals: number;
  symbol: string;
  image: string | undefined;
}

const BALANCE_TTL_MS = 30_000;
const METADATA_TTL_MS = 12 * 3600_000;

const path = (address: Address) => encodeURIComponent(address.toRawString());

export class TonChain {
  constructor(private readonly api: TonApiClient) {}

  /** The key the deployed wallet's `get_public_key` returns; null when the account was never deployed. */
  async publicKey(address: Address): Promise<Buffer | null> {
    const body = await this.api.get(`/v2/accounts/${path(address)}/publickey`);
    if (body === null) return null;
    const key = (body as { public_key?: unknown }).public_key;
    if (typeof key !== 'string' || !/^[0-9a-fA-F]{64}$/.test(key)) {
      throw new AppError('UNAVAILABLE', 'TonAPI answered a public key in an unknown shape');
    }
    return Buffer.from(key, 'hex');
  }

  /** Nanotons; 0 for an account TonAPI does not know. */
  async tonBalance(address: Address): Promise<bigint> {
    const body = await this.api.get(`/v2/accounts/${path(address)}`, BALANCE_TTL_MS);
    if (body === null) return 0n;
    const balance = toBigInt((body as { balance?: unknown }).balance);
    if (balance === undefined)
      throw new AppError('UNAVAILABLE', 'TonAPI answered a balance in an unknown shape');
    return balance;
  }

  /** Base units of the jetton `master` held by `owner`, matched after normalising both addresses. */
  async jettonBalance(owner: Address, master: Address): Promise<bigint> {
    const body = await this.api.get(`/v2/accounts/${path(owner)}/jettons`, BALANCE_TTL_MS);
    if (body === null) return 0n;
    const balances = (body as { balances?: unknown }).balances;
    if (!Array.isArray(balances))
      throw new AppError('UNAVAILABLE', 'TonAPI answered jettons in an unknown shape');
    const want = master.toRawString();
    for (const item of balances as Array<{ balance?: unknown; jetton?: { address?: unknown } }>) {
      const addr = typeof item.jetton?.address === 'string' ? parseTonAddress(item.jetton.address) : null;
      if (addr?.raw !== want) continue;
      const balance = toBigInt(item.balance);
      if (balance === undefined)
        throw new AppError('UNAVAILABLE', 'TonAPI answered a jetton balance in an unknown shape');
      return balance;
    }
    return 0n;
  }

  /** null when TonAPI knows no jetton at `master`. Cached 12 h. */
  async jettonMetadata(master: Address): Promise<JettonMetadata | null> {
    const body = await this.api.get(`/v2/jettons/${path(master)}`, METADATA_TTL_MS);
    if (body === null) return null;
    const b = body as {
      metadata?: { symbol?: unknown; decimals?: unknown; image?: unknown };
      preview?: unknown;
    };
    const decimals = Number(b.metadata?.decimals ?? 9);
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) {
      throw new AppError('UNAVAILABLE', 'TonAPI answered jetton decimals in an unknown shape');
    }
    const image =
      typeof b.preview === 'string' && b.preview
        ? b.preview
        : typeof b.metadata?.image === 'string' && b.metadata.image
          ? b.metadata.image
          : undefined;
    return {
      raw: master.toRawString(),
      decimals,
      symbol: typeof b.metadata?.symbol === 'string' ? b.metadata.symbol : '',
      image,
    };
  }
}
