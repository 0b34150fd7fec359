// The second transaction of a chunk, once its participants are in: tickets, the true participants_count,
// winners and win records, the imported proof, draw commitments for giveaways our scheduler will draw,
// pre-winner lists and the frozen entrants of pending giveaways. Report counts are added after commit only,
// so a chunk retried item by item is not counted twice.
import type pg from 'pg';
import { createCommitment } from '../draws/index.ts';
import type { Entity } from './import-report.ts';
import type { GiveawayPhaseDeps, Prepared } from './giveaway-import.ts';
import { isolate } from './isolate.ts';
import { keyOf } from './key-inventory.ts';
import { parseInteger, parseUserId } from './legacy-values.ts';
import {
  freezeEntrants,
  selectNonParticipants,
  syncParticipantCounts,
  upsertTickets,
  type TicketRow,
} from './participants.queries.ts';
import {
  deleteImportedProofs,
  planResults,
  replaceResults,
  selectCommitted,
  selectResults,
  upsertPreWinnerList,
  upsertProofs,
  type ImportedProof,
} from './results.queries.ts';

const TICKETS_MAX = 2_147_483_646;

interface Outcome {
  counts: Array<['imported' | 'updated', Entity, number]>;
  skips: Array<[string, string, string]>;
}

export async function writeResults(deps: GiveawayPhaseDeps, prepared: readonly Prepared[]): Promise<void> {
  const tickets = new Map(prepared.map((p) => [p.plan.row.id, parseTickets(deps, p)]));
  await isolate(
    deps.report,
    prepared,
    (p) => p.plan.key,
    async (group) => {
      const outcome = await deps.target.tx((tx) => writeGroup(tx, group, tickets));
      for (const [kind, entity, n] of outcome.counts) deps.report.add(kind, entity, n);
      for (const [key, reason, detail] of outcome.skips) deps.report.skip(key, reason, detail);
    },
  );
}

function parseTickets(deps: GiveawayPhaseDeps, p: Prepared): TicketRow[] {
  const key = keyOf.tickets(p.fetched.entry.keys.rawId);
  const rows: TicketRow[] = [];
  for (const [field, value] of Object.entries(p.fetched.tickets ?? {})) {
    const userId = parseUserId(field);
    const count = parseInteger(value);
    if (userId === null) deps.report.skip(key, 'invalid_user_id', field.slice(0, 40));
    else if (count === null || count < 1)
      deps.report.skip(key, 'invalid_ticket_count', `${field}: ${value.slice(0, 20)}`);
    else {
      if (count > TICKETS_MAX) deps.report.clamp(key, 'tickets.count', count, TICKETS_MAX);
      rows.push({ userId, count: Math.min(count, TICKETS_MAX) });
    }
  }
  return rows;
}

async function writeGroup(
  tx: pg.ClientBase,
  group: Prepared[],
  tickets: Map<string, TicketRow[]>,
): Promise<Outcome> {
  const out: Outcome = { counts: [], skips: [] };
  for (const p of group) await writeTickets(tx, p, tickets.get(p.plan.row.id) ?? [], out);
  const { counts, changed } = await syncParticipantCounts(
    tx,
    group.map((p) => p.plan.row.id),
  );
  const newInRun = new Set(group.filter((p) => p.inserted).map((p) => p.plan.row.id));
  out.counts.push(['updated', 'giveaways', changed.filter((id) => !newInRun.has(id)).length]);
  await writeWinners(tx, group, counts, out);
  await writeDrawState(tx, group, out);
  return out;
}

/** Tickets of participants; holders who never joined are reported (our tickets belong to a participant). */
async function writeTickets(tx: pg.ClientBase, p: Prepared, rows: TicketRow[], out: Outcome): Promise<void> {
  const id = p.plan.row.id;
  const outsiders = new Set(
    await selectNonParticipants(
      tx,
      id,
      rows.map((t) => t.userId),
    ),
  );
  for (const u of outsiders)
    out.skips.push([keyOf.tickets(p.plan.rawId), 'ticket_holder_not_participant', String(u)]);
  const kept = rows.filter((t) => !outsiders.has(t.userId));
  const c = await upsertTickets(tx, id, p.plan.row.created_at, kept);
  out.counts.push(['imported', 'tickets', c.inserted], ['updated', 'tickets', c.updated]);
}

/** Winners and win records where they differ from what is stored, and the imported proofs. */
async function writeWinners(
  tx: pg.ClientBase,
  group: Prepared[],
  entrants: Map<string, number>,
  out: Outcome,
): Promise<void> {
  const stored = await selectResults(
    tx,
    group.map((p) => p.plan.row.id),
  );
  const differing = group.filter((p) => stored.get(p.plan.row.id) !== planResults(p.plan));
  await replaceResults(
    tx,
    differing.map((p) => p.plan),
  );
  for (const p of differing) {
    const kind = p.inserted ? 'imported' : 'updated';
    out.counts.push(
      [kind, 'winners', p.plan.winners.length],
      [kind, 'win_records', p.plan.winRecords.length],
    );
  }
  const drawn = group.filter((p) => p.plan.winners.length > 0);
  const proofs = await upsertProofs(
    tx,
    drawn.map((p) => proofOf(p, entrants.get(p.plan.row.id) ?? 0)),
  );
  out.counts.push(['imported', 'draw_proofs', proofs.inserted], ['updated', 'draw_proofs', proofs.updated]);
  const undrawn = group.filter((p) => p.plan.winners.length === 0).map((p) => p.plan.row.id);
  out.counts.push(['updated', 'draw_proofs', await deleteImportedProofs(tx, undrawn)]);
}

/** What our scheduler needs for the giveaways it will close or draw: commitments, frozen entrants, lists. */
async function writeDrawState(tx: pg.ClientBase, group: Prepared[], out: Outcome): Promise<void> {
  const drawable = group.filter((p) => p.plan.row.status === 'active' || p.plan.row.status === 'pending');
  const committed = await selectCommitted(
    tx,
    drawable.map((p) => p.plan.row.id),
  );
  for (const p of drawable.filter((d) => !committed.has(d.plan.row.id))) {
    // Made as the create path makes it (commit-reveal, no beacon: the legacy giveaway promised none).
    await createCommitment(tx, p.plan.row.id);
    out.counts.push(['imported', 'draw_commitments', 1]);
  }
  for (const p of group) {
    if (p.plan.row.status !== 'pending') continue;
    out.counts.push(['imported', 'draw_entrants', await freezeEntrants(tx, p.plan.row.id)]);
    if (p.plan.preWinnerList) {
      const r = await upsertPreWinnerList(tx, p.plan.row.id, p.plan.preWinnerList);
      if (r) out.counts.push([r === 'inserted' ? 'imported' : 'updated', 'pre_winner_lists', 1]);
    }
  }
}

/** The imported proof claims no randomness: it lists the legacy winners and says where they came from. */
function proofOf(p: Prepared, entrants: number): ImportedProof {
  const drawnAt = p.plan.row.finished_at ?? p.plan.row.updated_at;
  return {
    giveawayId: p.plan.row.id,
    entrantsCount: entrants,
    drawnAt,
    bundle: {
      mode: 'imported',
      giveaway_id: p.plan.row.id,
      source: 'legacy-redis',
      winners_from: p.plan.winnersFrom,
      note:
        'Drawn by the legacy Redis-era system before the migration. It recorded no seed, commitment or ' +
        'entrant list, so this draw cannot be verified; the winners are listed as the legacy data holds them.',
      entrants_count: entrants,
      winners_count: p.plan.winners.length,
      winners: p.plan.winners.map((w) => ({ place: w.place, user_id: w.userId })),
      drawn_at: drawnAt.toISOString(),
    },
  };
}
