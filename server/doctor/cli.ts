// `npm run doctor`: checks this deployment's configuration and dependencies, prints one table, and exits
// non-zero when anything failed, so a deployment pipeline can run it before switching traffic.
import { withDotEnv } from '../config/index.ts';
import { formatTable } from './format-table.ts';
import { runDoctor } from './run-doctor.ts';

// The doctor reads TONAPI_BASE_URL, which the server's config does not know (yet), so it takes the
// environment as a whole; the server itself reads it only through server/config.
// eslint-disable-next-line no-restricted-properties
const report = await runDoctor(withDotEnv(process.env));
process.stdout.write(formatTable(report.rows));
process.exitCode = report.failed ? 1 : 0;
