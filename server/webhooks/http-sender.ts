// One HTTP POST to a webhook endpoint: guarded DNS (see address-guard.ts), a total deadline, a cap on the
// response we read, and redirects never followed (a 3xx is a failed attempt, like any non-2xx).
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, blockedReason, type AddressPolicy } from './address-guard.ts';

export interface SendLimits {
  timeoutMs: number;
  maxResponseBytes: number;
}

export type SendOutcome =
  { ok: true; status: number } | { ok: false; status: number | null; error: string; retryable: boolean };

export function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  policy: AddressPolicy,
  limits: SendLimits,
): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    // Armed once the request exists; `done` may run before that (a refusal), so it is held in a box.
    const timer: { deadline?: NodeJS.Timeout } = {};
    const done = (o: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer.deadline);
      resolve(o);
    };
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return done({ ok: false, status: null, error: 'Invalid URL', retryable: false });
    }
    const insecure = url.protocol === 'http:';
    if (!(url.protocol === 'https:' || (insecure && policy.allowHttp))) {
      return done({ ok: false, status: null, error: 'Refused: not https', retryable: false });
    }
    // An IP literal never goes through lookup, so it is checked here.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const literal = blockedReason(host, policy);
    if (literal !== null && literal !== 'not an IP address') {
      return done({ ok: false, status: null, error: `Refused: ${host} ${literal}`, retryable: true });
    }
    const request = (insecure ? http : https).request(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'giveaway-webhooks/1',
      },
      lookup: guardedLookup(policy) as unknown as http.RequestOptions['lookup'],
      agent: false,
    });
    timer.deadline = setTimeout(() => {
      request.destroy(new Error(`Timed out after ${limits.timeoutMs} ms`));
    }, limits.timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) => {
      done({ ok: false, status: null, error: err.message.slice(0, 300), retryable: true });
    });
    request.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      // Read (and discard) at most the cap, so a huge or endless answer cannot hold a worker.
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > limits.maxResponseBytes) res.destroy();
      });
      const finish = () => {
        if (status >= 200 && status < 300) done({ ok: true, status });
        else
          done({
            ok: false,
            status,
            error: status >= 300 && status < 400 ? `Redirect (${status}) not followed` : `HTTP ${status}`,
            retryable: true,
          });
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    request.end(body);
  });
}
