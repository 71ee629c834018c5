import { SshError } from './ssh-errors.js';

/** Waits between reconnects: 1, 2, 4, 8, 15, then every 30 s, as the chain client does. */
export const LINK_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/**
 * ssh failures that only the operator can fix: retrying them would hide the reason (a changed
 * host key must never be worked around). Everything else (a dropped link, a box rebooting) passes.
 */
const NEEDS_THE_OPERATOR = new Set(['host-key-changed', 'host-key-unknown', 'auth-failed', 'key-file']);

export function isTransientLinkFailure(error: unknown): boolean {
  return error instanceof SshError && !NEEDS_THE_OPERATOR.has(error.kind);
}

export function retryDelay(delays: readonly number[], attempt: number): number {
  return delays[Math.min(attempt, delays.length - 1)] ?? 1_000;
}

/** Resolves after `ms`, or at once when the signal aborts (the caller then checks it). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Runs `attempt` until it succeeds, retrying transient link failures with backoff (forever: a
 * job on the box does not fail because the link does); other errors and an abort end it.
 */
export async function withLinkRetry<T>(
  attempt: () => Promise<T>,
  options: {
    delays: readonly number[];
    signal: AbortSignal;
    onRetry: (error: Error, delayMs: number, attempt: number) => void;
  },
): Promise<T> {
  for (let failures = 0; ; failures += 1) {
    options.signal.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      if (!isTransientLinkFailure(error) || options.signal.aborted) throw error;
      const delay = retryDelay(options.delays, failures);
      options.onRetry(error as Error, delay, failures + 1);
      await pause(delay, options.signal);
    }
  }
}
