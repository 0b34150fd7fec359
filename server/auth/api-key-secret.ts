// API key format and hashing. Keys look like `gwk_<8 hex prefix>_<43 base64url chars>`; only SHA-256 of the
// whole key is stored, so a database leak reveals no usable key.
import { createHash, randomBytes } from 'node:crypto';

const FORMAT = /^gwk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomBytes(4).toString('hex');
  const key = `gwk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

export function looksLikeApiKey(value: string): boolean {
  return FORMAT.test(value);
}
