// The verify page, in the browser: downloads the commitment, proof bundle and entrant list from the public
// routes and re-runs the draw with the SDK's independent verifier (its own SHA-256, selection and BLS code), then
// checks one entrant's inclusion proof on request. Bundled by esbuild at server start; no external requests.
import { verifyInclusion, type InclusionProof } from '../../../client-sdk/src/verify/inclusion.ts';
import { verifyDraw, type DrawBundle } from '../../../client-sdk/src/verify/verify-draw.ts';
import type { EntrantInput } from '../../../client-sdk/src/verify/entrants.ts';
import type { PlaceChain, VerifyReport } from '../../../client-sdk/src/verify/report.ts';
import type { DrawCommitmentResponse, PublicClaimsResponse } from '../../../schema/contract/draws.ts';
import { page } from './dom.ts';

const path = page.pathname();
const id = path.split('/').filter(Boolean).pop() ?? '';
// Works behind a path prefix: the API is beside the /verify/ the page was served from.
const api = `${path.slice(0, path.lastIndexOf('/verify/'))}/api/public/giveaways/${encodeURIComponent(id)}`;
const verdict = page.byId('verdict');

function say(el: HTMLElement, state: string, text: string): void {
  el.setAttribute('data-state', state);
  el.textContent = text;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

/** The whole list, streamed as NDJSON so a million entrants never sit in one JSON string. */
async function fetchEntrants(onProgress: (n: number) => void): Promise<EntrantInput[]> {
  const res = await fetch(`${api}/entrants?format=ndjson`);
  if (!res.ok || !res.body) throw new Error(`entrant list: HTTP ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const out: EntrantInput[] = [];
  let rest = '';
  for (;;) {
    const { done, value } = await reader.read();
    rest += decoder.decode(value, { stream: !done });
    const lines = rest.split('\n');
    rest = done ? '' : (lines.pop() ?? '');
    for (const line of lines) if (line.trim() !== '') out.push(JSON.parse(line) as EntrantInput);
    onProgress(out.length);
    if (done) return out;
  }
}

function showCommitment(c: DrawCommitmentResponse): void {
  const rows: Array<[string, string]> = [
    ['Status', c.status],
    ['Entries closed', c.ends_at],
    ['Seed commitment', c.seed_commitment],
    ['Beacon', c.beacon ? `drand quicknet round ${c.beacon.round}` : 'none (commit-reveal only)'],
    ['Entrants root', c.entrants_root ?? 'published when entries close'],
    ['Entrants', c.entrants_count === null ? '—' : String(c.entrants_count)],
  ];
  page.byId('commitment').replaceChildren(...rows.flatMap(([k, v]) => [page.el('dt', k), page.el('dd', v)]));
}

async function run(): Promise<void> {
  const commitment = await getJson<DrawCommitmentResponse>(`${api}/commitment`);
  showCommitment(commitment);
  if (!commitment.drawn) {
    const waiting =
      commitment.status === 'drawing' && commitment.beacon
        ? `Entries are closed; the draw waits for drand round ${commitment.beacon.round}.`
        : `Not drawn yet (status: ${commitment.status}). The proof is published with the result.`;
    say(verdict, 'pending', waiting);
    return;
  }
  say(verdict, 'pending', 'Downloading the proof and the entrant list…');
  const [bundle, entrants] = await Promise.all([
    getJson<DrawBundle>(`${api}/proof`),
    fetchEntrants((n) => say(verdict, 'pending', `Downloading the entrant list… ${n}`)),
  ]);
  say(verdict, 'pending', `Re-running the draw over ${entrants.length} entrants in your browser…`);
  const report = await verifyDraw(bundle, entrants, {
    published: {
      seed_commitment: commitment.seed_commitment,
      beacon_round: commitment.beacon?.round ?? null,
    },
  });
  page.byId('steps').replaceChildren(
    ...report.steps.map((s) => {
      const li = page.el('li');
      li.setAttribute('data-step', s.step);
      li.setAttribute('data-ok', String(s.ok));
      li.append(
        page.el('span', `${s.ok ? '✓' : '✗'} ${s.step}`, 'step-name'),
        page.el('span', s.message, 'step-message'),
      );
      return li;
    }),
  );
  const claims = await getJson<PublicClaimsResponse>(`${api}/claims`).catch(() => null);
  const mismatched = showPlaces(report, claims);
  const ok = report.ok && mismatched.length === 0;
  say(
    verdict,
    ok ? 'ok' : 'fail',
    ok
      ? `Verified: ${entrants.length} entrants, the winners reproduce exactly.`
      : report.ok
        ? `NOT verified: place ${mismatched.join(', ')} is held by someone the proof does not name.`
        : `NOT verified: the ${report.failedStep ?? 'proof'} check failed.`,
  );
  enableInclusion((bundle as { entrants_root: string }).entrants_root);
}

const HOW: Record<PlaceChain['holders'][number]['via'], string> = {
  draw: 'drawn',
  reserve: 'next reserve',
  stream: 'drawn on (reserves used up)',
};

/**
 * Each place from the drawn winner through every replacement the proof records (each replayed by the verifier,
 * so a replacement shown as "next reserve" was exactly that), then where the place stands now. Returns the
 * places whose current holder the proof does not lead to.
 */
function showPlaces(report: VerifyReport, claims: PublicClaimsResponse | null): number[] {
  const now = new Map((claims?.places ?? []).map((p) => [p.place, p]));
  const mismatched: number[] = [];
  const chains: readonly PlaceChain[] =
    report.places.length > 0
      ? report.places
      : report.winners.map((w) => ({
          place: w.place,
          holders: [{ user_id: w.user_id, via: 'draw' as const }],
        }));
  page.byId('winners').replaceChildren(
    ...chains.map((chain) => {
      const li = page.el('li');
      li.setAttribute('data-place', String(chain.place));
      const links = chain.holders.map((h) =>
        h.reason ? `→ user ${h.user_id} (${HOW[h.via]}; ${h.reason})` : `user ${h.user_id} (${HOW[h.via]})`,
      );
      const last = chain.holders.at(-1);
      const current = now.get(chain.place);
      let state = '';
      if (current?.vacant) {
        state = '→ empty: not claimed in time, no reserve left';
        li.setAttribute('data-vacant', 'true');
      } else if (current && last && String(current.user_id) !== last.user_id) {
        state = `✗ held now by user ${current.user_id}, whom the proof does not name`;
        mismatched.push(chain.place);
      } else if (current?.claimed_at) {
        state = '✓ claimed';
        li.setAttribute('data-claimed', 'true');
      } else if (current?.claim_deadline) {
        state = `claim by ${current.claim_deadline}`;
      }
      li.append(
        page.el('span', `Place ${chain.place}: ${links.join(' ')}`, 'place-chain'),
        ...(state ? [page.el('span', state, 'place-state')] : []),
      );
      return li;
    }),
  );
  return mismatched;
}

function enableInclusion(root: string): void {
  const result = page.byId('inclusion-result');
  page.byId('inclusion-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const userId = page.byId<HTMLInputElement>('user-id').value.trim();
    say(result, 'pending', 'Checking…');
    getJson<InclusionProof>(`${api}/inclusion/${encodeURIComponent(userId)}`)
      .then((proof) => {
        const ok = verifyInclusion(proof, root) && String(proof.user_id) === userId;
        say(
          result,
          ok ? 'ok' : 'fail',
          ok
            ? `✓ User ${userId} is entrant #${proof.index + 1} of ${proof.entrants_count} with weight ` +
                `${proof.weight}: the path of ${proof.siblings.length} hashes leads to the published root.`
            : `✗ The inclusion proof for ${userId} does not lead to the published root.`,
        );
      })
      .catch((err: unknown) => say(result, 'fail', `✗ ${(err as Error).message}`));
  });
}

run().catch((err: unknown) => say(verdict, 'fail', `Could not verify: ${(err as Error).message}`));
