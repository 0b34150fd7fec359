// The sandbox's signing secret: made once, kept beside the embedded database (DATA_DIR), reused on every
// start so init-data handed out earlier (an SDK example's GIVEAWAY_INIT_DATA, say) keeps validating.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Shaped like a bot token so every consumer of "the token" takes it as is; it is never a real one. */
const SECRET = /^0:sandbox-[A-Za-z0-9_-]{43}$/;

export function loadSandboxSecret(file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  try {
    // 'wx': two nodes starting at once must not each write their own secret; the loser reads the winner's.
    writeFileSync(file, `0:sandbox-${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (!SECRET.test(secret)) {
    throw new Error(`${file} does not hold a sandbox secret; delete it and start again to make a new one.`);
  }
  return secret;
}
