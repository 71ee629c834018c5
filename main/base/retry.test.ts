import { describe, expect, it } from 'vitest';
import { pause, withRetry } from './retry.js';

class Flaky extends Error {}
class Refused extends Error {}

/** An attempt that fails `failures` times with `error`, then answers its attempt number. */
function failingTimes(failures: number, error: () => Error = () => new Flaky('dropped')) {
  const calls: number[] = [];
  const attempt = (n: number): Promise<number> => {
    calls.push(n);
    return calls.length <= failures ? Promise.reject(error()) : Promise.resolve(n);
  };
  return { attempt, calls };
}

describe('withRetry', () => {
  it('waits each delay in turn, the last one repeated, until an attempt succeeds', async () => {
    const { attempt, calls } = failingTimes(5);
    const waits: [attempt: number, delayMs: number][] = [];
    const result = await withRetry(attempt, {
      delaysMs: [1, 2, 3],
      onRetry: (_error, delay, failed) => waits.push([failed, delay]),
    });
    expect(result).toBe(6);
    expect(calls).toEqual([1, 2, 3, 4, 5, 6]);
    expect(waits).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 3],
      [5, 3],
    ]);
  });

  it('throws the last failure once the attempts run out', async () => {
    let failure = 0;
    const { attempt, calls } = failingTimes(10, () => new Flaky(`failure ${++failure}`));
    await expect(withRetry(attempt, { delaysMs: [1], attempts: 3 })).rejects.toThrow('failure 3');
    expect(calls).toEqual([1, 2, 3]);
  });

  it('throws a failure that is not worth another attempt at once', async () => {
    const { attempt, calls } = failingTimes(10, () => new Refused('host key changed'));
    const retried: unknown[] = [];
    await expect(
      withRetry(attempt, {
        delaysMs: [1],
        isRetryable: (error) => error instanceof Flaky,
        onRetry: (error) => retried.push(error),
      }),
    ).rejects.toThrow(Refused);
    expect(calls).toEqual([1]);
    expect(retried).toEqual([]);
  });

  it('ends at once, with the reason, when stopped during a wait', async () => {
    const stop = new AbortController();
    const { attempt, calls } = failingTimes(10);
    // A wait of an hour: only the abort can end this within the test's time.
    const retrying = withRetry(attempt, {
      delaysMs: [3_600_000],
      signal: stop.signal,
      onRetry: () => setImmediate(() => stop.abort(new Error('stopped by the operator'))),
    });
    await expect(retrying).rejects.toThrow('stopped by the operator');
    expect(calls).toEqual([1]);
  });

  it('does not start when already stopped', async () => {
    const { attempt, calls } = failingTimes(0);
    await expect(withRetry(attempt, { delaysMs: [1], signal: AbortSignal.abort() })).rejects.toThrow();
    expect(calls).toEqual([]);
  });
});

describe('pause', () => {
  it('ends at once when stopped, whether before or during the wait', async () => {
    await pause(3_600_000, AbortSignal.abort());
    const stop = new AbortController();
    const waiting = pause(3_600_000, stop.signal);
    stop.abort();
    await waiting;
  });
});
