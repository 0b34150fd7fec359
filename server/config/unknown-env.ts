// Warnings for variables that look like ours but are not read: a typo (RATE_LIMT, REDIS_ULR) or a name from
// another tool that shares our prefixes (POSTGRES_PASSWORD_FILE), silently ignored otherwise. A name is
// flagged when it has one of our distinctive prefixes, or is within a small edit distance of a name we
// read; system variables (PATH, HOME, NODE_ENV…) share neither, and the few foreign names that share a
// prefix legitimately (Kubernetes service links, the official postgres image) are left alone.
import { ENV_SPEC, type EnvName, type EnvVar } from './env-spec.ts';

/** Read outside ENV_SPEC: the runtime mode, and the test and bench harnesses. */
const OTHER_KNOWN = [
  'NODE_ENV',
  'TEST_DATABASE_URL',
  'TEST_REDIS_URL',
  'BENCH_DATABASE_URL',
  'BENCH_THREADS',
  'BENCH_CPU_PROF',
];

const OUR_PREFIXES = [
  'POSTGRES_',
  'REDIS_',
  'TELEGRAM_',
  'BOT_',
  'RATE_LIMIT_',
  'TON_',
  'TONAPI_',
  'WEBHOOK_',
  'WEBHOOKS_',
  'SOCKET_',
  'REALTIME_',
  'DRAND_',
  'SANDBOX_',
  'EMBEDDED_PG_',
  'TRUST_PROXY_',
];

/** Set by others where our prefixes are common words: Docker/Kubernetes service links, database images. */
const FOREIGN = [
  /_SERVICE_(HOST|PORT)(_\w+)?$/,
  /_PORT_\d+_(TCP|UDP)(_\w+)?$/,
  /^POSTGRES_(INITDB_ARGS|INITDB_WALDIR|HOST_AUTH_METHOD)$/,
];

export interface UnknownEnv {
  name: string;
  suggestion: string | undefined;
}

export function knownEnvNames(): string[] {
  const specs = Object.entries(ENV_SPEC) as Array<[EnvName, EnvVar<unknown>]>;
  return [...specs.flatMap(([name, spec]) => [name, ...(spec.aliases ?? [])]), ...OTHER_KNOWN];
}

/** Variables of `env` that are probably meant for us but are not read, each with the closest known name. */
export function findUnknownEnv(env: Record<string, string | undefined>): UnknownEnv[] {
  const known = knownEnvNames();
  const knownSet = new Set(known);
  const found: UnknownEnv[] = [];
  for (const name of Object.keys(env).sort()) {
    if (knownSet.has(name) || !/^[A-Z][A-Z0-9_]*$/.test(name) || FOREIGN.some((re) => re.test(name)))
      continue;
    const closest = closestName(name, known);
    const prefixed = OUR_PREFIXES.some((prefix) => name.startsWith(prefix));
    const typo = closest !== undefined && closest.distance <= Math.min(2, Math.floor(name.length / 4));
    if (prefixed || typo) {
      // A suggestion only when it is plausibly what was meant: close, or ours under an extra prefix
      // (TELEGRAM_BOT_TOKEN → BOT_TOKEN).
      const plausible = closest !== undefined && closest.distance <= Math.max(2, Math.floor(name.length / 3));
      const suffix = known.filter((k) => name.endsWith(`_${k}`)).sort((a, b) => b.length - a.length)[0];
      found.push({ name, suggestion: plausible ? closest.name : suffix });
    }
  }
  return found;
}

export function describeUnknownEnv({ name, suggestion }: UnknownEnv): string {
  return `${name} is set but not read by this server${suggestion ? `; did you mean ${suggestion}?` : ''}`;
}

function closestName(name: string, known: readonly string[]) {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}
