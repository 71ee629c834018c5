import { SshError } from './ssh-errors.js';

/** Waits between reconnects: 1, 2, 4, 8, 15, then every 30 s, as the chain client does. */
export const LINK_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/**
 * ssh failures that only the operator can fix: retrying them would hide the reason (a changed
 * host key must never be worked around). Everything else (a dropped link, a box rebooting) passes.
 * With base/retry's withRetry as its `isRetryable`: a job on the box does not fail because the
 * link does, so its steps retry these until they succeed or the job is stopped.
 */
const NEEDS_THE_OPERATOR = new Set(['host-key-changed', 'host-key-unknown', 'auth-failed', 'key-file']);

export function isTransientLinkFailure(error: unknown): boolean {
  return error instanceof SshError && !NEEDS_THE_OPERATOR.has(error.kind);
}
