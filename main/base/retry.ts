/**
 * One way to try again: backoff delays taken in turn (the last repeats), an abort that ends the
 * wait at once, and the caller deciding which failures are worth another attempt.
 */
export interface RetryOptions {
  /** Waits between attempts; the last one repeats for every later attempt. */
  delaysMs: readonly number[];
  /** Ends the retries: a wait in progress resolves at once and the abort reason is thrown. */
  signal?: AbortSignal;
  /** How many attempts in all before the last failure is thrown; unlimited when not given. */
  attempts?: number;
  /** Whether a failure is worth another attempt; the others are thrown at once. All are, when not given. */
  isRetryable?: (error: unknown) => boolean;
  /** Told before each wait, with the attempt that failed (1-based) and how long it will wait. */
  onRetry?: (error: unknown, delayMs: number, attempt: number) => void;
}

export function retryDelay(delaysMs: readonly number[], failures: number): number {
  return delaysMs[Math.min(failures, delaysMs.length - 1)] ?? 1_000;
}

/** Resolves after `ms`, or at once when the signal aborts (the caller then checks it). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Runs `attempt` until it succeeds, a failure is not retryable, the attempts run out, or the signal aborts. */
export async function withRetry<T>(attempt: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let failures = 0; ; failures += 1) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(failures + 1);
    } catch (error) {
      const exhausted = options.attempts !== undefined && failures + 1 >= options.attempts;
      if (exhausted || options.signal?.aborted || !(options.isRetryable?.(error) ?? true)) throw error;
      const delay = retryDelay(options.delaysMs, failures);
      options.onRetry?.(error, delay, failures + 1);
      await pause(delay, options.signal);
      options.signal?.throwIfAborted();
    }
  }
}
