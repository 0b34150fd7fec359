// One timer for many deadlines: each runs once its moment has passed (never before), a past one at once, a
// cancelled one never, a warning before an expiry of the same slot, and with nothing pending no timer is left.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineWheel } from '../../server/platform/deadline-wheel.ts';

const START = Date.UTC(2026, 11, 6, 12, 0, 0, 250);

describe('DeadlineWheel', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function recorder() {
    const runs: Array<{ item: string; kind: number; at: number }> = [];
    const wheel = new DeadlineWheel<string>((item, kind) => runs.push({ item, kind, at: Date.now() }));
    return { runs, wheel };
  }

  it('runs a deadline on a whole second exactly then, and one inside a second at its end, never before', () => {
    const { runs, wheel } = recorder();
    wheel.add('whole', 1, START - 250 + 3_000);
    wheel.add('inside', 1, START + 4_100);
    vi.advanceTimersByTime(2_749);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual([{ item: 'whole', kind: 1, at: START - 250 + 3_000 }]);
    vi.advanceTimersByTime(2_000);
    expect(runs.map((r) => r.item)).toEqual(['whole', 'inside']);
    expect(runs[1]?.at).toBeGreaterThanOrEqual(START + 4_100);
    expect(runs[1]?.at).toBeLessThan(START + 5_100);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs a deadline that is already past on the next tick, warnings of a slot before its expiries', () => {
    const { runs, wheel } = recorder();
    wheel.add('a', 1, START - 5_000);
    wheel.add('a', 0, START - 60_000);
    wheel.add('b', 1, START);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(runs.map((r) => `${r.item}${r.kind}`)).toEqual(['a0', 'a1', 'b1']);
  });

  it('never runs what was deleted, wherever it was put, and stops its timer once nothing is pending', () => {
    const { runs, wheel } = recorder();
    wheel.add('future', 1, START + 10_000);
    wheel.add('past', 1, START - 10_000);
    wheel.add('kept', 0, START + 10_000);
    wheel.delete('future', 1, START + 10_000);
    wheel.delete('past', 1, START - 10_000);
    expect(wheel.size).toBe(1);
    vi.advanceTimersByTime(20_000);
    expect(runs.map((r) => r.item)).toEqual(['kept']);
    expect(vi.getTimerCount()).toBe(0);
    wheel.add('again', 0, START + 30_000);
    wheel.delete('again', 0, START + 30_000);
    vi.advanceTimersByTime(20_000);
    expect(runs.map((r) => r.item)).toEqual(['kept']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clear() drops everything and its timer', () => {
    const { runs, wheel } = recorder();
    wheel.add('x', 1, START + 1_000);
    wheel.clear();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    expect(runs).toEqual([]);
  });
});
