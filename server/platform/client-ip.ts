// The client's address as TRUST_PROXY defines it, for Express and the Socket.IO handshake alike: the
// peer address unless a trusted proxy (the nearest N hops, or listed addresses) forwarded the request, in
// which case the nearest untrusted address of X-Forwarded-For. Per-IP limits key on this, so trusting a
// proxy the client can reach directly would let every client pick its own address.
import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../config/index.ts';

/** (address, hop index from the server) → may this hop's X-Forwarded-For be believed. */
export type TrustFn = (address: string, hop: number) => boolean;

export function compileTrust(setting: TrustProxy): TrustFn {
  if ('hops' in setting) {
    const hops = setting.hops;
    return (_address, hop) => hop < hops;
  }
  return proxyaddr.compile([...setting.addresses]);
}

/** What proxy-addr reads: the headers and the peer address (uWS requests carry it as `connection`). */
export interface PeerRequest {
  headers: Record<string, string | string[] | undefined>;
  connection?: { remoteAddress?: string };
  socket?: { remoteAddress?: string };
}

export function clientIp(req: PeerRequest, trust: TrustFn): string {
  return normalizeIp(proxyaddr(req as IncomingMessage, trust));
}

/**
 * One spelling per address, so one client has one budget: uWS reports IPv4 peers as full IPv4-mapped IPv6
 * (0000:…:ffff:7f00:0001), Node as ::ffff:127.0.0.1, a proxy as 127.0.0.1. Not an address: kept as is.
 */
export function normalizeIp(address: string): string {
  try {
    return ipaddr.process(address).toString();
  } catch {
    return address;
  }
}
