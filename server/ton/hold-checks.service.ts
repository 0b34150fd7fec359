// The standalone balance checks and jetton metadata the Mini App asks for outside a giveaway.
import type { HoldCheckResponse, JettonMetadataResponse } from '../../schema/contract/ton.ts';
import { AppError } from '../platform/errors.ts';
import { parseTonAddress } from './ton-address.ts';
import type { JettonMetadata, TonChain } from './ton-chain.ts';
import type { TonWalletsService } from './ton-wallets.service.ts';
import { toBaseUnits } from './token-amount.ts';
import { WALLET_NOT_LINKED } from './hold-checkers.ts';

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION', `Invalid ${field}: ${message}`, { fields: [{ field, message }] });
}

export class HoldChecksService {
  constructor(
    private readonly wallets: TonWalletsService,
    private readonly chain: TonChain,
  ) {}

  async metadata(address: string): Promise<JettonMetadataResponse> {
    const meta = await this.jetton(address, 'address');
    const parsed = parseTonAddress(meta.raw);
    return {
      address: parsed ? parsed.address.toString({ bounceable: true, urlSafe: true }) : meta.raw,
      decimals: meta.decimals,
      symbol: meta.symbol,
      ...(meta.image ? { image: meta.image } : {}),
    };
  }

  async holdTon(userId: number, minNano: string): Promise<HoldCheckResponse> {
    const wallet = await this.wallets.wallet(userId);
    const owner = wallet && parseTonAddress(wallet.raw);
    if (!owner) return { ok: false, error: WALLET_NOT_LINKED };
    const balance = await this.chain.tonBalance(owner.address);
    return { ok: balance >= BigInt(minNano), balance_nano: balance.toString() };
  }

  async holdJetton(userId: number, jettonAddress: string, minTokens: string): Promise<HoldCheckResponse> {
    const meta = await this.jetton(jettonAddress, 'jetton_address');
    const min = toBaseUnits(minTokens, meta.decimals);
    if (typeof min === 'string') throw invalid('jetton_min_amount', min);
    const wallet = await this.wallets.wallet(userId);
    const owner = wallet && parseTonAddress(wallet.raw);
    if (!owner) return { ok: false, error: WALLET_NOT_LINKED, decimals: meta.decimals, symbol: meta.symbol };
    const master = parseTonAddress(meta.raw);
    if (!master) throw invalid('jetton_address', 'is not a TON address');
    const balance = await this.chain.jettonBalance(owner.address, master.address);
    return {
      ok: balance >= min,
      balance_nano: balance.toString(),
      decimals: meta.decimals,
      symbol: meta.symbol,
    };
  }

  private async jetton(address: string, field: string): Promise<JettonMetadata> {
    const master = parseTonAddress(address);
    if (!master) throw invalid(field, 'is not a TON address');
    const meta = await this.chain.jettonMetadata(master.address);
    if (!meta)
      throw new AppError('NOT_FOUND', 'No jetton at this address', {
        fields: [{ field, message: 'not a jetton master' }],
      });
    return meta;
  }
}
