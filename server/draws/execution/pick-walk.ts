// Walks the picks in draw order, deciding each one's eligibility with bounded concurrency, until enough
// eligible entrants are found. Decisions are consumed strictly in pick order, so the exclusions are exactly
// the ineligible picks the selection reaches, which is what the proof bundle must publish.

export interface WalkDecision {
  eligible: boolean;
  /** Exclusion reason code when not eligible. */
  reason: string | null;
}

export interface WalkResult<Id> {
  /** Eligible picks in order: winners first, then reserves. */
  eligible: Id[];
  exclusions: Array<{ user_id: Id; reason: string }>;
}

export async function walkPicks<Id>(opts: {
  next: () => Id | null;
  needed: number;
  concurrency: number;
  decide: (id: Id) => Promise<WalkDecision>;
}): Promise<WalkResult<Id>> {
  const eligible: Id[] = [];
  const exclusions: Array<{ user_id: Id; reason: string }> = [];
  const inFlight: Array<{ id: Id; decision: Promise<WalkDecision> }> = [];
  let exhausted = false;
  try {
    while (eligible.length < opts.needed) {
      // Never more in flight than could still be needed, so a draw where everyone passes checks no extra pick.
      const cap = Math.max(1, Math.min(opts.concurrency, opts.needed - eligible.length));
      while (!exhausted && inFlight.length < cap) {
        const id = opts.next();
        if (id === null) {
          exhausted = true;
          break;
        }
        const decision = opts.decide(id);
        decision.catch(() => undefined); // Observed below in order; avoids an unhandled rejection meanwhile.
        inFlight.push({ id, decision });
      }
      const head = inFlight.shift();
      if (!head) break;
      const d = await head.decision;
      if (d.eligible) eligible.push(head.id);
      else exclusions.push({ user_id: head.id, reason: d.reason ?? 'not_eligible' });
    }
  } finally {
    // After a failure, let the checks still in flight finish: none may outlive the run and its lease.
    await Promise.allSettled(inFlight.map((f) => f.decision));
  }
  return { eligible, exclusions };
}
