// holdton and holdjetton: wallet-backed requirements. The wallet is the one linked by a verified proof
// (ton_wallets), never an unverified users.wallet_address. TonAPI failures are `unknown` (fail closed).
import { AppError } from '../platform/errors.ts';
import {
  failed,
  passed,
  unknown,
  type NewRequirement,
  type RequirementChecker,
  type RequirementResult,
  type RequirementSubject,
  type StoredRequirement,
} from '../requirements/index.ts';
import { parseTonAddress } from './ton-address.ts';
import type { TonChain } from './ton-chain.ts';
import type { TonWalletsService } from './ton-wallets.service.ts';
import { fromBaseUnits, toBaseUnits } from './token-amount.ts';

export const WALLET_NOT_LINKED = 'wallet not linked';
const CONNECT_REASON = 'Connect a TON wallet to check this requirement';

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION', `Invalid ${field}: ${message}`, { fields: [{ field, message }] });
}

async function guarded(run: () => Promise<RequirementResult>): Promise<RequirementResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError && err.code === 'UNAVAILABLE') {
      return unknown('tonapi_unavailable', 'TON balances cannot be read right now');
    }
    throw err;
  }
}

export class HoldTonChecker implements RequirementChecker {
  readonly type = 'holdton' as const;
  constructor(
    private readonly wallets: TonWalletsService,
    private readonly chain: TonChain,
  ) {}

  async check(requirement: StoredRequirement, subject: RequirementSubject): Promise<RequirementResult> {
    const wallet = await this.wallets.wallet(subject.userId);
    if (!wallet) return failed('wallet_not_linked', CONNECT_REASON);
    const min = BigInt(requirement.ton_min_balance_nano ?? 0);
    return guarded(async () => {
      const address = parseTonAddress(wallet.raw);
      if (!address) return unknown('check_failed', 'The linked wallet address is unreadable');
      const balance = await this.chain.tonBalance(address.address);
      return balance >= min
        ? passed('Enough TON')
        : failed(
            'balance_too_low',
            `Hold at least ${fromBaseUnits(min, 9)} TON (you have ${fromBaseUnits(balance, 9)})`,
          );
    });
  }
}

export class HoldJettonChecker implements RequirementChecker {
  readonly type = 'holdjetton' as const;
  constructor(
    private readonly wallets: TonWalletsService,
    private readonly chain: TonChain,
  ) {}

  /** Create: the master must be a jetton TonAPI knows; the token amount is scaled exactly by its decimals. */
  async validateChannelRequirement(row: NewRequirement): Promise<NewRequirement> {
    const master = parseTonAddress(row.jetton_address ?? '');
    if (!master) throw invalid('jetton_address', 'is not a TON address');
    const meta = await this.chain.jettonMetadata(master.address);
    if (!meta) throw invalid('jetton_address', 'is not a jetton master known to TonAPI');
    const units = toBaseUnits(row.jetton_min_amount ?? '0', meta.decimals);
    if (typeof units === 'string') throw invalid('jetton_min_amount', units);
    return {
      ...row,
      jetton_address: meta.raw,
      jetton_min_amount: units.toString() as `${number}`,
      jetton_decimals: meta.decimals,
      jetton_symbol: meta.symbol,
      jetton_image: meta.image ?? null,
    };
  }

  async check(requirement: StoredRequirement, subject: RequirementSubject): Promise<RequirementResult> {
    const wallet = await this.wallets.wallet(subject.userId);
    if (!wallet) return failed('wallet_not_linked', CONNECT_REASON);
    return guarded(async () => {
      const owner = parseTonAddress(wallet.raw);
      const master = parseTonAddress(requirement.jetton_address ?? '');
      if (!owner || !master) return unknown('check_failed', 'The jetton or wallet address is unreadable');
      const min = BigInt(requirement.jetton_min_amount ?? 0);
      const balance = await this.chain.jettonBalance(owner.address, master.address);
      const decimals = requirement.jetton_decimals ?? 0;
      const symbol = requirement.jetton_symbol || 'tokens';
      return balance >= min
        ? passed(`Enough ${symbol}`)
        : failed(
            'balance_too_low',
            `Hold at least ${fromBaseUnits(min, decimals)} ${symbol} (you have ${fromBaseUnits(balance, decimals)})`,
          );
    });
  }
}
