// Standard Webhooks secrets: "whsec_" + base64 of random bytes (24 to 64 bytes per the spec; we use 32).
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const generateSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export interface SigningSecrets {
  current: string;
  /** The secret before the last rotation, still signing until the overlap ends. */
  previous?: string;
}

/**
 * The three Standard Webhooks headers for one attempt. During a rotation the signature header carries one
 * signature per valid secret, space-separated, so receivers on either secret accept it.
 */
export function signHeaders(
  msgId: string,
  body: string,
  secrets: SigningSecrets,
  at: Date = new Date(),
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const keys = secrets.previous ? [secrets.current, secrets.previous] : [secrets.current];
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': keys.map((k) => new Webhook(k).sign(msgId, at, body)).join(' '),
  };
}
