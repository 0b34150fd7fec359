// Participants of a giveaway this run inserted go in without ON CONFLICT's probe; a row that is there after
// all (a join through a live new server, a member SSCAN repeated) must neither fail the batch nor be
// counted twice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IdSet } from '../../server/legacy-import/id-set.ts';
import { ImportReport } from '../../server/legacy-import/import-report.ts';
import { liveTarget } from '../../server/legacy-import/import-target.ts';
import { ParticipantWriter } from '../../server/legacy-import/participant-writer.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
const GID = '30000000-0000-4000-8000-000000000001';
const KEY = `giveaway:${GID}:participants`;
const JOINED = '2025-05-01T10:00:00.000Z';

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query('INSERT INTO users (id) SELECT generate_series(1, 10)');
  await db.pool.query(
    `INSERT INTO giveaways (id, creator_id, title, started_at, ends_at, duration, winners_count)
     VALUES ($1, 1, 'fresh', $2, $2::timestamptz + interval '1 hour', 3600, 1)`,
    [GID, JOINED],
  );
});
afterAll(async () => {
  await db?.drop();
});

function writerFor(report: ImportReport, batch: number): ParticipantWriter {
  return new ParticipantWriter({
    target: liveTarget(db.pool, 2),
    report,
    knownUsers: new IdSet(Array.from({ length: 10 }, (_, i) => i + 1)),
    batch,
    onWritten: () => undefined,
  });
}

const participants = async () =>
  (await db.pool.query<{ user_id: string }>('SELECT user_id FROM participants ORDER BY user_id')).rows.map(
    (r) => Number(r.user_id),
  );

it('inserts a fresh giveaway’s participants, counting only new rows when some were there already', async () => {
  // Joined through the new server between the giveaway's row and its participants.
  await db.pool.query(`INSERT INTO participants (giveaway_id, user_id) VALUES ($1, 3)`, [GID]);
  const report = new ImportReport('test', { dry_run: false, batch: 4, writers: 2, disable_triggers: false });
  const writer = writerFor(report, 4);

  await writer.add(GID, KEY, JOINED, true, [1, 2, 3, 4]);
  // A member repeated within a batch and across batches, as SSCAN may.
  await writer.add(GID, KEY, JOINED, true, [5, 5, 6, 1]);
  await (
    await writer.settle()
  ).done;

  const json = report.toJSON();
  expect(json.skipped.total).toBe(0);
  expect(json.imported.participants).toBe(5);
  expect(await participants()).toEqual([1, 2, 3, 4, 5, 6]);

  // A rerun (the giveaway is no longer new to it) adds nothing and says so.
  const again = new ImportReport('test', { dry_run: false, batch: 4, writers: 2, disable_triggers: false });
  const rerun = writerFor(again, 4);
  await rerun.add(GID, KEY, JOINED, false, [1, 2, 3, 4, 5, 6]);
  await (
    await rerun.settle()
  ).done;
  expect(again.toJSON().imported.participants).toBe(0);
  expect(again.toJSON().skipped.total).toBe(0);
});
