// Wallet and jetton addresses: parsed by @ton/core (raw `wc:hex`, bounceable EQ…, non-bounceable UQ…, test-only
// flags) and compared in one normal form, the raw string.
import { Address } from '@ton/core';

export interface ParsedAddress {
  address: Address;
  /** `0:abcd…`, the form we store and compare. */
  raw: string;
  /** True only for a user-friendly address carrying the test-only flag. */
  testOnly: boolean;
}

export function parseTonAddress(input: string): ParsedAddress | null {
  const text = input.trim();
  try {
    if (Address.isFriendly(text)) {
      const friendly = Address.parseFriendly(text);
      return {
        address: friendly.address,
        raw: friendly.address.toRawString(),
        testOnly: friendly.isTestOnly,
      };
    }
    if (Address.isRaw(text)) {
      const address = Address.parseRaw(text);
      return { address, raw: address.toRawString(), testOnly: false };
    }
  } catch {
    return null;
  }
  return null;
}

/** What wallets show: user-friendly, non-bounceable, url-safe. */
export function displayAddress(address: Address, testnet: boolean): string {
  return address.toString({ bounceable: false, urlSafe: true, testOnly: testnet });
}
