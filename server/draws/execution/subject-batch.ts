// The users behind the picks being checked, fetched together: every lookup asked for in the same turn of the
// event loop goes out as one query, so a walk with 200 picks in flight costs one round trip, not 200.
import type * as db from 'zapatos/db';
import { selectSubjects, type CheckSubject } from './execution.queries.ts';

type Waiter = { resolve: (s: CheckSubject | undefined) => void; reject: (err: unknown) => void };

export class SubjectBatch {
  private waiting = new Map<number, Waiter[]>();

  constructor(private readonly client: db.Queryable) {}

  /** The user, or undefined when the account is gone. */
  get(userId: number): Promise<CheckSubject | undefined> {
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) queueMicrotask(() => void this.flush());
      const waiters = this.waiting.get(userId);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(userId, [{ resolve, reject }]);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    try {
      const found = await selectSubjects(this.client, [...batch.keys()]);
      for (const [userId, waiters] of batch) for (const w of waiters) w.resolve(found.get(userId));
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  }
}
