// Parsing a creator's winners list (.txt upload or text body): tokens split on whitespace, commas and
// semicolons; numeric tokens are user ids, `@name` (or a bare name) are usernames. Unusable tokens are
// dropped, since the list is typed by hand and one stray word must not reject it.

export type CandidateToken = { kind: 'id'; userId: number } | { kind: 'username'; username: string };

const USERNAME = /^[A-Za-z][A-Za-z0-9_]{2,63}$/;
const DIGITS = /^[0-9]{1,16}$/;
/** A 1 MB list holds at most ~250k tokens; more than that is not a winners list. */
export const MAX_TOKENS = 300_000;

export function parseCandidateText(text: string): CandidateToken[] {
  const out: CandidateToken[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/[\s,;]+/)) {
    if (out.length >= MAX_TOKENS) break;
    if (raw === '') continue;
    if (DIGITS.test(raw)) {
      const userId = Number(raw);
      if (userId >= 1 && Number.isSafeInteger(userId)) out.push({ kind: 'id', userId });
      continue;
    }
    const name = raw.startsWith('@') ? raw.slice(1) : raw;
    if (USERNAME.test(name)) out.push({ kind: 'username', username: name.toLowerCase() });
  }
  return out;
}
