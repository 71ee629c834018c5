import { vi } from 'vitest';

type NotYet = null | undefined | false;

/**
 * The first value `probe` gives (or resolves to) that is neither null, undefined nor false, asked
 * every `intervalMs` until `timeoutMs`: a wait on real I/O whose result the test goes on to use (a
 * run that ended, a pty that paused). A wait for a plain condition reads better as `expect.poll`.
 * On timeout it fails naming `what` it waited for.
 */
export function eventually<T>(
  what: string,
  probe: () => T | NotYet | Promise<T | NotYet>,
  { timeoutMs = 10_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const check = (value: T | NotYet): T => {
    if (value === null || value === undefined || value === false) throw new Error(`Timed out waiting for ${what}`);
    return value;
  };
  return vi.waitFor(
    () => {
      const value = probe();
      return value instanceof Promise ? value.then(check) : check(value);
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
}
