// Steps 4 of §6 and the reroll log: recompute the seed and redraw with the published exclusions, compare
// winners and reserves, then replay every reroll on the same selector state.
import type { Rec } from './bundle-shape.ts';
import { userIdKey } from './bytes.ts';
import type { EntrantColumns } from './entrants.ts';
import type { PlaceChain, ReportBuilder, VerifyReport } from './report.ts';
import { Selector } from './selection.ts';
import { DrawStream, drawSeed } from './stream.ts';

interface Reroll {
  place: number;
  replaced_user_id: unknown;
  by_user_id: unknown;
  reason: unknown;
}

type Holders = Array<PlaceChain['holders'][number]>;

/** Runs the selection and reroll steps; returns who holds each place afterwards, and each place's chain. */
export function replaySelection(
  b: Rec,
  columns: EntrantColumns,
  r: ReportBuilder,
): { winners: VerifyReport['winners']; places: PlaceChain[] } {
  const beacon = b.beacon as { randomness: string } | null;
  const seed = drawSeed(
    b.server_seed as string,
    b.giveaway_id as string,
    columns.root,
    beacon?.randomness ?? null,
  );
  const excluded = new Set((b.exclusions as Rec[]).map((e) => userIdKey(e.user_id) ?? ''));
  const selector = new Selector(columns, new DrawStream(seed), excluded);
  selector.draw(b.winners_count as number, b.reserves_count as number);

  const problems: string[] = [];
  const listed = (b.winners as Rec[]).map((w, i) => (w.place === i + 1 ? userIdKey(w.user_id) : null));
  if (listed.join() !== selector.winners.join() || listed.length !== selector.winners.length) {
    problems.push(`winners are [${listed.join(', ')}], the draw gives [${selector.winners.join(', ')}]`);
  }
  const reserves = (b.reserves as unknown[]).map(userIdKey);
  if (reserves.join() !== selector.reserves.join() || reserves.length !== selector.reserves.length) {
    problems.push(`reserves are [${reserves.join(', ')}], the draw gives [${selector.reserves.join(', ')}]`);
  }
  if (excluded.size !== (b.exclusions as Rec[]).length) problems.push('an entrant is excluded twice');

  const chains: Holders[] = selector.winners.map((user_id) => [{ user_id, via: 'draw' }]);
  const rerollProblem = replayRerolls(b.rerolls as Reroll[], selector, chains);
  // Checked after the rerolls: a continued stream may reach an excluded entrant too.
  const picked = new Set(selector.excludedPicks);
  for (const id of excluded) if (!picked.has(id)) problems.push(`${id} is excluded but was never picked`);
  r.check(
    'selection',
    problems,
    `${selector.winners.length} winners and ${selector.reserves.length} reserves match the draw`,
  );
  const fromReserve = chains.flat().filter((h) => h.via === 'reserve').length;
  if (rerollProblem) r.fail('rerolls', rerollProblem);
  else
    r.pass(
      'rerolls',
      `${(b.rerolls as Reroll[]).length} rerolls match the stream (${fromReserve} took the next reserve)`,
    );
  return {
    winners: selector.winners.map((user_id, i) => ({ place: i + 1, user_id })),
    places: chains.map((holders, i) => ({ place: i + 1, holders })),
  };
}

function replayRerolls(rerolls: Reroll[], selector: Selector, chains: Holders[]): string | null {
  const reserves = new Set(selector.reserves);
  for (const [i, reroll] of rerolls.entries()) {
    const holder = selector.winners[reroll.place - 1];
    if (holder === undefined || holder !== userIdKey(reroll.replaced_user_id)) {
      return `reroll #${i + 1}: place ${reroll.place} is not held by ${String(reroll.replaced_user_id)}`;
    }
    const by = selector.reroll(reroll.place);
    if (by === null || by !== userIdKey(reroll.by_user_id)) {
      return `reroll #${i + 1}: replacement is ${String(reroll.by_user_id)}, the stream gives ${by ?? 'nobody'}`;
    }
    chains[reroll.place - 1]?.push({
      user_id: by,
      via: reserves.has(by) ? 'reserve' : 'stream',
      reason: String(reroll.reason),
    });
  }
  return null;
}
