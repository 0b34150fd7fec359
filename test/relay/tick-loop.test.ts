// The relays' pass loop: passes never overlap, a poke after a quiet spell runs a pass at once, and pokes in a
// burst do not add passes beyond one per tick.
import { afterEach, describe, expect, it } from 'vitest';
import { TickLoop } from '../../server/relay/tick-loop.ts';

const loops: TickLoop[] = [];
afterEach(async () => {
  await Promise.all(loops.splice(0).map((l) => l.stop()));
});

function counted(everyMs: number, passMs = 0) {
  const state = { passes: 0, inFlight: 0, overlapped: false };
  const loop = new TickLoop(async () => {
    state.passes++;
    state.inFlight++;
    if (state.inFlight > 1) state.overlapped = true;
    await new Promise((resolve) => setTimeout(resolve, passMs));
    state.inFlight--;
  }, everyMs);
  loops.push(loop);
  return { loop, state };
}

describe('TickLoop', () => {
  it('runs a pass as soon as it is poked after a quiet spell, without waiting for the tick', async () => {
    // A tick of a minute: any pass seen within the test came from the poke.
    const { loop, state } = counted(60_000);
    loop.start();
    loop.poke();
    await expect.poll(() => state.passes).toBe(1);
  });

  it('adds no pass for pokes within a tick of the last one, and never overlaps passes', async () => {
    const { loop, state } = counted(60_000, 20);
    loop.start();
    loop.poke();
    loop.poke(); // in flight
    await expect.poll(() => state.inFlight).toBe(0);
    loop.poke(); // ended, but started less than a tick ago
    expect(state.passes).toBe(1);
    expect(state.overlapped).toBe(false);
  });

  it('ignores pokes before start and after stop', async () => {
    const { loop, state } = counted(60_000);
    loop.poke();
    loop.start();
    await loop.stop();
    loop.poke();
    expect(state.passes).toBe(0);
  });
});
