// @ts-check
// Watches one giveaway: prints the participant count as it changes, then the winners and whether the draw
// verifies. Install the SDK first (`npm install @giveaway/client-sdk`, or a packed tarball), then:
//   GIVEAWAY_API=https://api.example.com GIVEAWAY_REALTIME=https://rt.example.com \
//   GIVEAWAY_API_KEY=gwk_… node index.mjs <giveaway-id> [seconds]
// Without GIVEAWAY_API_KEY or GIVEAWAY_INIT_DATA it watches as a viewer and skips the verification.
import { createClient, GiveawayError } from '@giveaway/client-sdk';

const [giveawayId, seconds = '60'] = process.argv.slice(2);
if (!giveawayId) {
  console.error('usage: node index.mjs <giveaway-id> [seconds]');
  process.exit(2);
}
const env = process.env;
/** @type {import('@giveaway/client-sdk').AuthOption} */
const auth = env.GIVEAWAY_API_KEY
  ? { apiKey: env.GIVEAWAY_API_KEY }
  : env.GIVEAWAY_INIT_DATA
    ? { initData: env.GIVEAWAY_INIT_DATA }
    : null;
const client = createClient({
  baseUrl: env.GIVEAWAY_API ?? 'http://localhost:8080',
  realtimeUrl: env.GIVEAWAY_REALTIME,
  auth,
});

/** @typedef {import('@giveaway/client-sdk').GiveawaySnapshot} GiveawaySnapshot */
/** @type {(view: GiveawaySnapshot | null) => void} */
let finish = () => undefined;
/** @type {Promise<GiveawaySnapshot | null>} */
const result = new Promise((resolve) => (finish = resolve));

const sub = client.watch(giveawayId, {
  snapshot: (view, reason) =>
    console.log(
      `snapshot (${reason}): "${view.title}" is ${view.status}, participants: ${view.participants_count}`,
    ),
  count: (event) => console.log(`participants: ${event.participants_count}`),
  status: (event) => console.log(`status: ${event.status}`),
  watchers: (event) => console.log(`watchers: ${event.watchers}`),
  update: (view) => {
    if (view.status === 'completed' && view.winners.length > 0) finish(view);
    if (view.status === 'cancelled') finish(null);
  },
  error: (err) => console.error(`error ${err.code}: ${err.message}`),
});
// Belt and braces: once the end time has passed, ask for a fresh snapshot until the result is in.
const poll = setInterval(() => {
  const view = sub.view;
  if (view && Date.parse(view.ends_at) < Date.now() && view.status !== 'completed') void sub.resync();
}, 2_000);
const timeout = setTimeout(() => finish(null), Number(seconds) * 1_000);

const view = await result;
clearInterval(poll);
clearTimeout(timeout);
if (!view) {
  console.log('no result yet');
} else {
  for (const w of view.winners) console.log(`winner #${w.place}: ${w.username || w.name || w.user_id}`);
  if (auth) {
    try {
      const report = await client.draws.verify(giveawayId, {
        published: { seed_commitment: view.seed_commitment },
      });
      console.log(
        report.ok ? `verified: yes (${report.mode})` : `verified: NO, the ${report.failedStep} step failed`,
      );
      for (const step of report.steps)
        console.log(`  ${step.ok ? 'ok  ' : 'FAIL'} ${step.step}: ${step.message}`);
    } catch (err) {
      console.log(`verification unavailable: ${err instanceof GiveawayError ? err.code : String(err)}`);
    }
  }
}
client.close();
