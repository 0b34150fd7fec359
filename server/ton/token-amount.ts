// Exact decimal token amounts ("0.5", "12"; "1e3" is refused) scaled to base units by the jetton's decimals.

/** `amount` tokens in base units, or a reason it cannot be represented exactly. */
export function toBaseUnits(amount: string, decimals: number): bigint | string {
  const text = amount.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return 'must be a non-negative decimal amount such as 10 or 0.5';
  const whole = m[1] ?? '0';
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals)
    return `has more than ${decimals} fractional digits (the jetton's decimals)`;
  return BigInt(whole + fraction.padEnd(decimals, '0'));
}

/** Base units back to a plain decimal string without trailing zeros. */
export function fromBaseUnits(units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
