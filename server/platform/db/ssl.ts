// Maps libpq's sslmode onto node-postgres TLS options, so POSTGRES_SSLMODE means what operators expect.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SslMode } from '../../config/index.ts';

export function sslOptions(mode: SslMode, rootCertPath: string | undefined): false | ConnectionOptions {
  const ca = rootCertPath ? readFileSync(rootCertPath, 'utf8') : undefined;
  switch (mode) {
    case 'disable':
    case 'allow': // libpq tries plain first; so do we (and never upgrade, as servers rarely require it).
      return false;
    case 'prefer': // Encrypt without verification; createDatabase falls back to plain if the server has no TLS.
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca': // Chain checked, host name not.
      return { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ca, rejectUnauthorized: true };
  }
}

export function isNoSslError(err: unknown): boolean {
  return err instanceof Error && /does not support SSL/i.test(err.message);
}
