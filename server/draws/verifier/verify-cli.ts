// `npm run verify -- <giveaway-url-or-file>`: re-runs a draw from its public proof and prints each check of draw
// protocol §6 with ✓ or ✗; exit code 0 only when every check passes. Reads DRAND_URLS (or --drand) to compare
// the beacon with what drand serves; the BLS signature is checked against the pinned quicknet key regardless.
import { existsSync } from 'node:fs';
import { createLogger } from '../../platform/logger.ts';
import { DrandRelays, parseDrandUrls } from '../beacon/index.ts';
import { MerkleWorkers } from '../entrants/index.ts';
import { verifyEvidence } from './verify-evidence.ts';
import { loadFromFile, loadFromUrl, type DrawEvidence } from './verify-source.ts';

const USAGE = `usage: npm run verify -- <giveaway-url | bundle.json> [--drand <url,url>]
  <giveaway-url>  e.g. https://giveaways.example.com/verify/<id> (reads /api/public/giveaways/<id>/…)
  <bundle.json>   a file {"bundle": …, "entrants": [{"user_id", "weight"}, …], "commitment"?: …}`;

async function main(argv: string[]): Promise<number> {
  const drandAt = argv.indexOf('--drand');
  const drandArg = drandAt >= 0 ? argv[drandAt + 1] : undefined;
  const target = argv.filter((a, i) => !a.startsWith('--') && (drandAt < 0 || i !== drandAt + 1))[0];
  if (!target || argv.includes('--help')) {
    console.error(USAGE);
    return 2;
  }
  // eslint-disable-next-line no-restricted-properties -- a standalone CLI, not the server: its one variable.
  const urls = parseDrandUrls(drandArg ?? process.env.DRAND_URLS);
  const relays =
    urls.length > 0 ? new DrandRelays({ urls, logger: createLogger('silent'), retryDelaysMs: [500] }) : null;
  const workers = new MerkleWorkers();
  try {
    let evidence: DrawEvidence;
    try {
      evidence = existsSync(target) ? await loadFromFile(target) : await loadFromUrl(target);
    } catch (err) {
      console.error(`✗ could not load the draw: ${(err as Error).message}`);
      return 1;
    }
    console.log(`Draw of giveaway ${evidence.giveawayId} (${evidence.source})`);
    const report = await verifyEvidence(evidence, { workers, relays });
    for (const s of report.steps) console.log(`${s.ok ? '✓' : '✗'} ${s.step.padEnd(10)} ${s.message}`);
    if (!relays && (evidence.bundle as { beacon?: unknown }).beacon) {
      console.log('  (set DRAND_URLS or --drand to also compare the beacon with a drand relay)');
    }
    if (report.winners.length > 0) {
      console.log(`Winners: ${report.winners.map((w) => `${w.place}. ${w.user_id}`).join('  ')}`);
    }
    console.log(report.ok ? 'VERIFIED: the draw reproduces exactly.' : 'NOT VERIFIED.');
    return report.ok ? 0 : 1;
  } finally {
    await workers.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
