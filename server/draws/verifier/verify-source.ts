// Where the verifier CLI gets a draw's evidence: a server (public proof routes: commitment, bundle, entrants as
// NDJSON) from any URL naming the giveaway, or a JSON file {bundle, entrants, commitment?}. Entrants are read into
// columns as they stream, so a million of them cost a few typed arrays.
import { readFile } from 'node:fs/promises';
import type { DrawCommitmentResponse } from '../../../schema/contract/draws.ts';
import { parseUserId, type EntrantColumns, type ProofBundle } from '../protocol/index.ts';

export interface DrawEvidence {
  giveawayId: string;
  bundle: ProofBundle;
  entrants: EntrantColumns;
  /** The first entrant that could not even be read (the entrants step then fails with it). */
  entrantsProblem: string | null;
  /** What the server published before the draw, when known (§6.1). */
  published: Pick<DrawCommitmentResponse, 'seed_commitment' | 'beacon'> | null;
  source: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** `https://host[/prefix]/verify/<id>`, `…/api/v1/giveaways/<id>[/proof]`, `…/giveaways/<id>`: base and id. */
export function parseGiveawayUrl(raw: string): { base: string; id: string } {
  const url = new URL(raw);
  const match = UUID.exec(url.pathname);
  if (!match) throw new Error(`no giveaway id in ${raw}`);
  const before = url.pathname.slice(0, match.index);
  const prefix = before
    .replace(/\/(verify|api\/v1\/giveaways|api\/public\/giveaways|giveaways)\/$/, '')
    .replace(/\/$/, '');
  return { base: `${url.origin}${prefix}`, id: match[0].toLowerCase() };
}

export async function loadFromUrl(raw: string, fetchImpl: typeof fetch = fetch): Promise<DrawEvidence> {
  const { base, id } = parseGiveawayUrl(raw);
  const api = `${base}/api/public/giveaways/${id}`;
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetchImpl(`${api}${path}`, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET ${api}${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const [commitment, bundle] = await Promise.all([
    getJson<DrawCommitmentResponse>('/commitment'),
    getJson<ProofBundle>('/proof'),
  ]);
  const res = await fetchImpl(`${api}/entrants?format=ndjson`);
  if (!res.ok || !res.body) throw new Error(`GET ${api}/entrants: HTTP ${res.status}`);
  const entrants = new ColumnsBuilder();
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line !== '') entrants.add(JSON.parse(line) as unknown);
  }
  if (rest.trim() !== '') entrants.add(JSON.parse(rest) as unknown);
  return { giveawayId: id, bundle, ...entrants.build(), published: commitment, source: api };
}

export async function loadFromFile(path: string): Promise<DrawEvidence> {
  const file = JSON.parse(await readFile(path, 'utf8')) as {
    bundle?: ProofBundle;
    entrants?: unknown[];
    commitment?: DrawCommitmentResponse;
  };
  if (!file.bundle || !Array.isArray(file.entrants))
    throw new Error(`${path}: expected {"bundle", "entrants"}`);
  const entrants = new ColumnsBuilder();
  for (const e of file.entrants) entrants.add(e);
  return {
    giveawayId: file.bundle.giveaway_id,
    bundle: file.bundle,
    ...entrants.build(),
    published: file.commitment ?? null,
    source: path,
  };
}

/** Growable entrant columns; a malformed entrant is kept aside as the entrants step's failure. */
class ColumnsBuilder {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private w = new Uint32Array(1024);
  private n = 0;
  private seen = 0;
  private problem: string | null = null;

  add(value: unknown): void {
    const at = this.seen++;
    const e = value as { user_id?: unknown; weight?: unknown } | null;
    let id: bigint;
    try {
      if (typeof e !== 'object' || e === null) throw new Error('not an object');
      id = parseUserId(e.user_id);
      const weight = e.weight;
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 0x7fffffff) {
        throw new Error(`weight must be an integer in 1..2^31-1`);
      }
    } catch (err) {
      this.problem ??= `entrant #${at}: ${(err as Error).message}`;
      return;
    }
    const weight = (e as { weight: number }).weight;
    if (this.n === this.w.length) this.grow();
    this.hi[this.n] = Number(id >> 32n);
    this.lo[this.n] = Number(id & 0xffffffffn);
    this.w[this.n] = weight;
    this.n++;
  }

  build(): { entrants: EntrantColumns; entrantsProblem: string | null } {
    const entrants = {
      idHi: this.hi.slice(0, this.n),
      idLo: this.lo.slice(0, this.n),
      weights: this.w.slice(0, this.n),
    };
    return { entrants, entrantsProblem: this.problem };
  }

  private grow(): void {
    const grown = (a: Uint32Array) => {
      const b = new Uint32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.hi = grown(this.hi);
    this.lo = grown(this.lo);
    this.w = grown(this.w);
  }
}
