// Public surface of TON: createTon builds the TonAPI client, wallet linking (TON Connect proof), the holdton and
// holdjetton checkers (pass `ton.checkers` to RequirementsService); tonHandlers serves them over HTTP.
import type pg from 'pg';
import type { TonSettings } from '../config/index.ts';
import type { Logger } from '../platform/index.ts';
import { HoldChecksService } from './hold-checks.service.ts';
import { HoldJettonChecker, HoldTonChecker } from './hold-checkers.ts';
import { TonChain } from './ton-chain.ts';
import { TonWalletsService } from './ton-wallets.service.ts';
import { TonApiClient } from './tonapi-client.ts';

export { tonHandlers, type TonOperationId } from './ton.routes.ts';
export { publicLinkProblem } from './public-link.ts';
export { WALLET_LINKED_ELSEWHERE } from './ton-wallets.service.ts';
export { tonProofDigest } from './ton-proof.ts';

export interface Ton {
  wallets: TonWalletsService;
  holdChecks: HoldChecksService;
  checkers: [HoldTonChecker, HoldJettonChecker];
}

/** `publicBaseUrl` gives the default proof domain when TON_PROOF_DOMAINS is unset. */
export function createTon(
  settings: TonSettings,
  deps: { pool: pg.Pool; logger: Logger; publicBaseUrl: string; fetch?: typeof fetch; now?: () => number },
): Ton {
  const api = new TonApiClient({
    baseUrl: settings.tonapiBaseUrl,
    apiKey: settings.tonapiKey,
    rps: settings.tonapiRps,
    logger: deps.logger,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const chain = new TonChain(api);
  const proofDomains = settings.proofDomains.length
    ? settings.proofDomains
    : [new URL(deps.publicBaseUrl).host.toLowerCase()];
  const wallets = new TonWalletsService({
    pool: deps.pool,
    chain,
    logger: deps.logger,
    network: settings.network,
    proofDomains,
    payloadTtlMs: settings.proofPayloadTtlMs,
    ...(deps.now ? { now: deps.now } : {}),
  });
  return {
    wallets,
    holdChecks: new HoldChecksService(wallets, chain),
    checkers: [new HoldTonChecker(wallets, chain), new HoldJettonChecker(wallets, chain)],
  };
}
