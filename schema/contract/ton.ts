// Wire shapes of TON: the TON Connect proof routes, wallet-backed requirement inputs and checks, jetton metadata.
import { z } from 'zod';

const Base64 = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'must be base64');

export const CheckProofBody = z.object({
  address: z.string().trim().min(1).max(100),
  /** TON Connect chain id: "-239" mainnet, "-3" testnet ("-1" as the Mini App sends for testnet). */
  network: z.union([z.string(), z.number()]).transform(String),
  proof: z.object({
    timestamp: z.number().int().nonnegative(),
    domain: z.object({
      lengthBytes: z.number().int().nonnegative(),
      value: z.string().min(1).max(253),
    }),
    signature: Base64,
    payload: z.string().min(1).max(128),
    state_init: Base64.optional(),
  }),
  state_init: Base64.optional(),
});
export type CheckProofBody = z.output<typeof CheckProofBody>;

export interface GeneratePayloadResponse {
  ton_proof: { payload: string };
}

export interface CheckProofResponse {
  success: true;
  address: string;
}

/** Nanotons or base units: a JSON integer, or a string of digits for amounts beyond 2^53; out: digits. */
const Units = z
  .union([
    z.number().int().nonnegative().refine(Number.isSafeInteger, 'must be below 2^53, or send it as a string'),
    z
      .string()
      .trim()
      .regex(/^\d{1,40}$/, 'must be a whole number of nanotons'),
  ])
  .transform((v) => BigInt(v).toString() as `${number}`);

const DECIMAL = /^\d{1,40}(\.\d{1,255})?$/;
/**
 * Tokens, maybe fractional (0.5); out: the exact decimal text, scaled by the jetton's decimals later. A JSON
 * number's shortest round-trip text is what the client typed (0.5, 12.25), so it is taken as that text.
 */
const TokenAmount = z
  .union([z.number().nonnegative().finite(), z.string().trim()])
  .transform((v) => (typeof v === 'number' ? numberText(v) : v))
  .refine((v) => DECIMAL.test(v), 'must be a decimal amount such as 10 or 0.5')
  .transform((v) => v as `${number}`);

function numberText(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  return Number.isInteger(n) ? BigInt(n).toString() : n.toFixed(20).replace(/0+$/, '');
}

export const HoldTonRequirementInput = z.object({
  type: z.literal('holdton'),
  ton_min_balance_nano: Units,
});

/** The app also sends `address`/`amount`, `jetton_symbol`, `jetton_image`: symbol and image come from TonAPI. */
export const HoldJettonRequirementInput = z.object({
  type: z.literal('holdjetton'),
  jetton_address: z.string().trim().min(1).max(100),
  jetton_min_amount: TokenAmount,
});

export const HoldTonCheckBody = z.object({ ton_min_balance_nano: Units });
export const HoldJettonCheckBody = z.object({
  jetton_address: z.string().trim().min(1).max(100),
  jetton_min_amount: TokenAmount,
});

export interface HoldCheckResponse {
  ok: boolean;
  /** Nanotons (holdton) or jetton base units (holdjetton), as a decimal string: lossless. */
  balance_nano?: string;
  error?: string;
  decimals?: number;
  symbol?: string;
}

export interface JettonMetadataResponse {
  address: string;
  decimals: number;
  symbol: string;
  image?: string;
}
