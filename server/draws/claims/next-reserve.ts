// Who takes an unclaimed place (draw protocol §4): the first unused reserve, in the order the published proof
// lists them. Every reroll consumes the head of the reserve queue while one is left, so after k rerolls the
// next reserve is reserves[k]; anyone can check it from the bundle alone. Unlike an owner's reroll, the
// deadline never continues the stream: with no reserve left the place stays empty.
import {
  currentWinners,
  type ProofBundle,
  type RandomProofBundle,
  type RerollEntry,
} from '../protocol/index.ts';

export function nextReserve(bundle: RandomProofBundle): RandomProofBundle['reserves'][number] | null {
  return bundle.reserves[bundle.rerolls.length] ?? null;
}

export function isRandomBundle(bundle: ProofBundle): bundle is RandomProofBundle {
  const mode = (bundle as { mode?: string }).mode;
  return mode === undefined || mode === 'random';
}

/** The bundle with `place` given to the next reserve, or null when none is left. */
export function unclaimedReroll(
  bundle: RandomProofBundle,
  place: number,
): { bundle: RandomProofBundle; reroll: RerollEntry } | null {
  const by = nextReserve(bundle);
  const holder = currentWinners(bundle).find((w) => w.place === place);
  if (by === null || !holder) return null;
  const reroll: RerollEntry = {
    place,
    replaced_user_id: holder.user_id,
    by_user_id: by,
    reason: 'unclaimed',
  };
  return { bundle: { ...bundle, rerolls: [...bundle.rerolls, reroll] }, reroll };
}
