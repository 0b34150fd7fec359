// SSRF guard: endpoints must be https (unless allowed for development) and resolve only to public unicast
// addresses. The same check runs inside the socket's DNS lookup at delivery time, so a name that re-resolves
// to a private address later (DNS rebinding) is refused at connect, on the address actually used.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promisify } from 'node:util';
import ipaddr from 'ipaddr.js';
import { AppError } from '../platform/errors.ts';

export interface AddressPolicy {
  /** Development only: accept http:// URLs. */
  allowHttp: boolean;
  /** Development only: accept loopback, private and link-local destinations. */
  allowPrivate: boolean;
}

const lookupAll = promisify(dnsLookup);

/** Why an address may not be contacted, or null when it is a public unicast address. */
export function blockedReason(address: string, policy: AddressPolicy): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let ip = ipaddr.parse(address);
  // ::ffff:10.0.0.1 is 10.0.0.1; judge the IPv4 it carries.
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  }
  const range = ip.range();
  if (range === 'unicast') return null;
  if (policy.allowPrivate && ['loopback', 'private', 'uniqueLocal', 'linkLocal'].includes(range)) return null;
  // 169.254.169.254 (cloud metadata) is linkLocal; fd00:ec2::254 is uniqueLocal: both refused here.
  return `resolves to a ${range} address`;
}

/** Validates an endpoint URL's form (no DNS). Throws VALIDATION naming the `url` field. */
export function checkUrlForm(raw: string, policy: AddressPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('must be an absolute URL');
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    throw invalid('must use https');
  }
  if (url.username || url.password) throw invalid('must not contain credentials');
  if (url.hash) throw invalid('must not contain a fragment');
  return url;
}

/** Form check plus DNS: every address the host resolves to must be allowed. */
export async function checkEndpointUrl(raw: string, policy: AddressPolicy): Promise<URL> {
  const url = checkUrlForm(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(host, { all: true, verbatim: true });
  } catch {
    throw invalid('host does not resolve');
  }
  if (addresses.length === 0) throw invalid('host does not resolve');
  for (const a of addresses) {
    const reason = blockedReason(a.address, policy);
    if (reason) throw invalid(`host ${reason}`);
  }
  return url;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request: resolves, refuses the connection if any address is blocked, and connects to
 * the addresses it checked (no second resolution in between).
 */
export function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const a of addresses) {
        const reason = blockedReason(a.address, policy);
        if (reason) {
          const refused = Object.assign(new Error(`Refused: ${hostname} ${reason}`), { code: 'EBLOCKED' });
          return callback(refused, []);
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error('No address'), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

function invalid(message: string): AppError {
  return new AppError('VALIDATION', `Invalid url: ${message}`, { fields: [{ field: 'url', message }] });
}
