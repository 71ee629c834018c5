import { describe, expect, it } from 'vitest';
import { GateRefusal, PriorityGate } from './priority-gate.js';

const LONG = 60_000;

/** Whether `promise` has settled once pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('the priority gate', () => {
  it('gives a freed slot to the highest priority waiting', async () => {
    const gate = new PriorityGate(1, 4);
    const release = await gate.acquire({ priority: 1, key: 'a', maxWaitMs: LONG });
    const low = gate.acquire({ priority: 1, key: 'b', maxWaitMs: LONG });
    const high = gate.acquire({ priority: 5, key: 'c', maxWaitMs: LONG });
    release();
    expect(await settled(high)).toBe(true);
    expect(await settled(low)).toBe(false);
    (await high)();
    (await low)();
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('takes a waiter whose request was given up out of the queue, so the slot it would get is not lost', async () => {
    const gate = new PriorityGate(1, 4);
    const release = await gate.acquire({ priority: 1, key: 'a', maxWaitMs: LONG });
    const client = new AbortController();
    const gone = gate.acquire({ priority: 9, key: 'b', maxWaitMs: LONG, signal: client.signal });
    const reason = new Error('the client went away');
    client.abort(reason);
    await expect(gone).rejects.toBe(reason);
    expect(gate.load).toEqual({ running: 1, waiting: 0 });
    release();
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
    // The slot is there for the next request.
    expect(await settled(gate.acquire({ priority: 1, key: 'c', maxWaitMs: LONG }))).toBe(true);
  });

  it('lets one key hold at most its share of the slots, and gives the rest to others', async () => {
    const gate = new PriorityGate(4, 8, 2);
    const first = await gate.acquire({ priority: 9, key: 'alice', maxWaitMs: LONG });
    await gate.acquire({ priority: 9, key: 'alice', maxWaitMs: LONG });
    const third = gate.acquire({ priority: 9, key: 'alice', maxWaitMs: LONG });
    expect(await settled(third)).toBe(false);
    // Bob, with less stake, is not kept waiting behind Alice's third request.
    expect(await settled(gate.acquire({ priority: 1, key: 'bob', maxWaitMs: LONG }))).toBe(true);
    expect(gate.load).toEqual({ running: 3, waiting: 1 });
    // Alice's own release lets her third in.
    first();
    expect(await settled(third)).toBe(true);
    expect(gate.load).toEqual({ running: 3, waiting: 0 });
  });

  it('refuses the lowest priority with 503 when the queue is full, and a waiter past its deadline with 408', async () => {
    const gate = new PriorityGate(1, 1);
    await gate.acquire({ priority: 5, key: 'a', maxWaitMs: LONG });
    const low = gate.acquire({ priority: 1, key: 'b', maxWaitMs: LONG });
    const high = gate.acquire({ priority: 3, key: 'c', maxWaitMs: 0 });
    await expect(low).rejects.toMatchObject({ status: 503 });
    await expect(high).rejects.toBeInstanceOf(GateRefusal);
    await expect(high).rejects.toMatchObject({ status: 408 });
  });
});
