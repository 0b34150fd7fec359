// Fetches a committed drand quicknet round from the configured HTTP relays (GET {relay}/{chain_hash}/public/{R}):
// all relays are asked at once, the first answer whose BLS signature verifies wins, and the attempt is retried
// with backoff. An answer that does not verify is rejected and logged; there is never a fallback to a weaker source.
import type { Logger } from '../../platform/logger.ts';
import { verifyQuicknetSignature } from './beacon-verifier.ts';
import { QUICKNET, beaconRandomness, beaconRoundTime, beaconSignedMessage } from '../protocol/index.ts';

/** A round whose signature verified against the quicknet key. Hex strings, as in the proof bundle. */
export interface VerifiedBeacon {
  round: number;
  signature: string;
  randomness: string;
}

/** What a draw needs: a verified round, or BeaconUnavailableError. */
export interface BeaconSource {
  fetchRound(round: number, signal?: AbortSignal): Promise<VerifiedBeacon>;
}

/** The round is not available (yet) from any relay, or no relay gave one that verifies. The draw waits. */
export class BeaconUnavailableError extends Error {
  constructor(
    message: string,
    /** When to try again; undefined leaves it to the caller's backoff. */
    readonly retryInMs?: number,
  ) {
    super(message);
    this.name = 'BeaconUnavailableError';
  }
}

export interface DrandRelaysOptions {
  /** Relay base URLs, e.g. https://api.drand.sh (DRAND_URLS). */
  urls: readonly string[];
  logger: Logger;
  /** Per-request timeout (default 5 s). */
  timeoutMs?: number;
  /** Waits between attempts within one fetchRound (default 250 ms, 500 ms, 1 s, 2 s). */
  retryDelaysMs?: readonly number[];
  /** A round due within this long is waited for in-process rather than handed back (default 5 s). */
  maxWaitMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

const HEX = /^[0-9a-f]+$/;
const CACHE_ROUNDS = 64;

export class DrandRelays implements BeaconSource {
  private readonly log: Logger;
  private readonly urls: string[];
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  /** Verified rounds: many giveaways ending together share one, and a round never changes. */
  private readonly verified = new Map<number, VerifiedBeacon>();

  constructor(private readonly opts: DrandRelaysOptions) {
    if (opts.urls.length === 0) throw new Error('DrandRelays needs at least one relay URL');
    this.log = opts.logger.child({ module: 'drand' });
    this.urls = opts.urls.map((u) => u.replace(/\/+$/, ''));
    this.fetch = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
  }

  async fetchRound(round: number, signal?: AbortSignal): Promise<VerifiedBeacon> {
    const cached = this.verified.get(round);
    if (cached) return cached;
    const dueInMs = beaconRoundTime(round) * 1000 - this.now();
    if (dueInMs > (this.opts.maxWaitMs ?? 5_000)) {
      throw new BeaconUnavailableError(`drand round ${round} is not due yet`, dueInMs + 250);
    }
    if (dueInMs > 0) await sleep(dueInMs + 100, signal);
    const delays = this.opts.retryDelaysMs ?? [250, 500, 1_000, 2_000];
    let lastProblem = '';
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const found = await this.askAll(round, signal);
      if (typeof found !== 'string') {
        this.remember(found);
        return found;
      }
      lastProblem = found;
      const delay = delays[attempt];
      if (delay === undefined) break;
      await sleep(delay, signal);
    }
    throw new BeaconUnavailableError(`drand round ${round} unavailable: ${lastProblem}`);
  }

  /** One attempt over every relay at once: the first verified answer, else a summary of what went wrong. */
  private async askAll(round: number, signal?: AbortSignal): Promise<VerifiedBeacon | string> {
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const problems: string[] = [];
    try {
      return await new Promise<VerifiedBeacon | string>((resolve) => {
        let open = this.urls.length;
        for (const url of this.urls) {
          this.askOne(url, round, stop.signal)
            .then((beacon) => {
              if (stop.signal.aborted) return;
              stop.abort();
              resolve(beacon);
            })
            .catch((err: unknown) => {
              problems.push(`${url}: ${(err as Error).message}`);
              if (--open === 0) resolve(problems.join('; '));
            });
        }
      });
    } finally {
      stop.abort();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async askOne(relay: string, round: number, signal: AbortSignal): Promise<VerifiedBeacon> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 5_000);
    const res = await this.fetch(`${relay}/${QUICKNET.chainHash}/public/${round}`, {
      signal: AbortSignal.any([signal, timeout]),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${res.status}`);
    }
    const body: unknown = await res.json();
    if (signal.aborted) throw new Error('another relay answered first');
    const problem = this.check(body, round);
    if (problem) {
      // A relay serving a beacon that does not verify is broken or lying: worth an operator's attention.
      this.log.error({ relay, round, problem }, 'Rejected a drand beacon that does not verify');
      throw new Error(`rejected: ${problem}`);
    }
    const { signature } = body as { signature: string };
    return { round, signature, randomness: beaconRandomness(Buffer.from(signature, 'hex')).toString('hex') };
  }

  /** Why an answer is not round `round` of quicknet, or null when its signature verifies. */
  private check(body: unknown, round: number): string | null {
    if (typeof body !== 'object' || body === null) return 'not a JSON object';
    const b = body as { round?: unknown; signature?: unknown; randomness?: unknown };
    if (b.round !== round) return `answered round ${String(b.round)}`;
    if (typeof b.signature !== 'string' || !HEX.test(b.signature) || b.signature.length !== 96) {
      return 'signature is not a 48-byte hex string';
    }
    const signature = Buffer.from(b.signature, 'hex');
    if (b.randomness !== undefined && b.randomness !== beaconRandomness(signature).toString('hex')) {
      return 'randomness is not H(signature)';
    }
    const message = beaconSignedMessage(round);
    const ok = verifyQuicknetSignature({
      round,
      signature,
      message,
      publicKey: QUICKNET.publicKey,
      scheme: QUICKNET.scheme,
      dst: QUICKNET.dst,
    });
    return ok ? null : 'BLS signature does not verify against the quicknet public key';
  }

  private remember(beacon: VerifiedBeacon): void {
    if (this.verified.size >= CACHE_ROUNDS) this.verified.delete(this.verified.keys().next().value ?? 0);
    this.verified.set(beacon.round, beacon);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** DRAND_URLS: comma-separated relay URLs; empty means no beacon source. */
export function parseDrandUrls(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}
