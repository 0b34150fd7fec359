// The outside addresses: PUBLIC_BASE_URL (https and reachable), drand relays, TonAPI.
import type { Config } from '../config/index.ts';
import { QUICKNET } from '../draws/index.ts';
import { failure, fetchWithin, ok, reason, warning, type CheckResult } from './check-result.ts';

const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export async function checkPublicBaseUrl(config: Config): Promise<CheckResult> {
  const base = config.http.publicBaseUrl;
  const url = new URL(base);
  if (url.protocol !== 'https:' && !LOCAL.test(url.hostname)) {
    return failure(
      'public url',
      `${base} is not https`,
      'Serve the API over https and set PUBLIC_BASE_URL=https://...: Telegram and browsers refuse plain http links.',
    );
  }
  try {
    const res = await fetchWithin(`${base}/live`, 5_000);
    const detail = `${base} answers /live with ${res.status}`;
    if (!res.ok)
      return warning('public url', detail, 'Point PUBLIC_BASE_URL at this server (its /live answers 200).');
    if (url.protocol !== 'https:')
      return warning('public url', `${detail} (local http)`, 'Use an https URL in production.');
    return ok('public url', detail);
  } catch (err) {
    return warning(
      'public url',
      `${base} unreachable from here: ${reason(err)}`,
      'Start the server, or check DNS, TLS and the proxy in front of it.',
    );
  }
}

export async function checkDrand(config: Config): Promise<CheckResult[]> {
  const relays = config.draws.drandUrls;
  if (relays.length === 0) return [ok('drand', 'not configured: commit-reveal draws only')];
  return Promise.all(
    relays.map(async (relay) => {
      try {
        const res = await fetchWithin(`${relay.replace(/\/+$/, '')}/${QUICKNET.chainHash}/info`, 5_000);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const info = (await res.json()) as { hash?: string };
        return info.hash === QUICKNET.chainHash
          ? ok('drand', `${relay} serves quicknet`)
          : failure('drand', `${relay} serves another chain`, 'Use a relay of drand quicknet in DRAND_URLS.');
      } catch (err) {
        return failure('drand', `${relay}: ${reason(err)}`, 'Remove or replace this relay in DRAND_URLS.');
      }
    }),
  );
}

/** TonAPI (wallet requirements). The base URL comes from TONAPI_BASE_URL, default https://tonapi.io. */
export async function checkTonApi(baseUrl: string): Promise<CheckResult> {
  const base = baseUrl.replace(/\/+$/, '');
  try {
    const res = await fetchWithin(`${base}/v2/status`, 5_000);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return ok('tonapi', `${base} answers`);
  } catch (err) {
    return warning(
      'tonapi',
      `${base}: ${reason(err)}`,
      'TON balance requirements cannot be checked; check TONAPI_BASE_URL and network access.',
    );
  }
}
