import { z } from 'zod';
import { ExecutionProviderSchema, NetworkSchema } from './settings.js';

export const MinerStateSchema = z.enum(['stopped', 'starting', 'serving', 'stopping', 'error']);
export type MinerState = z.infer<typeof MinerStateSchema>;

/** Why the axon did not answer a request with a prediction (see `MinerStats.refusedBy`). */
export const RefusalReasonSchema = z.enum(['malformed', 'blacklist', 'signature', 'busy', 'timeout', 'aborted']);
export type RefusalReason = z.infer<typeof RefusalReasonSchema>;

export const MinerStatsSchema = z.object({
  /** Requests that reached the axon since it started. */
  requests: z.number().int().min(0),
  /** Answered with a prediction (200). */
  answered: z.number().int().min(0),
  /** Not answered with a prediction by the protocol's rules, or left by the client: the sum of `refusedBy`. */
  refused: z.number().int().min(0),
  /**
   * Why: not a well-formed request for our synapse (400, 404, 405, 413), a caller the blacklist
   * refuses (403), a signature or nonce that does not verify (401), no slot free (503), too slow
   * (408: waiting for a slot, or sending its body), or a client that went away before its answer.
   */
  refusedBy: z.record(RefusalReasonSchema, z.number().int().min(0)),
  /** Failed on our side (5xx). */
  errors: z.number().int().min(0),
  /**
   * Answered, but not by the model: the image could not be decoded or classified, or was not
   * judged before its deadline, so the answer is the Settings' policy (-1 or 0.5).
   */
  unjudged: z.number().int().min(0),
  /** Answered requests in the last minute. */
  perMinute: z.number().int().min(0),
  /** Over the last 500 answered requests. */
  latencyP50Ms: z.number().min(0).nullable(),
  latencyP99Ms: z.number().min(0).nullable(),
});
export type MinerStats = z.infer<typeof MinerStatsSchema>;

export const EMPTY_MINER_STATS: MinerStats = {
  requests: 0,
  answered: 0,
  refused: 0,
  refusedBy: { malformed: 0, blacklist: 0, signature: 0, busy: 0, timeout: 0, aborted: 0 },
  errors: 0,
  unjudged: 0,
  perMinute: 0,
  latencyP50Ms: null,
  latencyP99Ms: null,
};

/**
 * Why the miner last stopped: the operator's Stop, the host shutting down, or a start that
 * failed (state `error`). Only the last is an alert.
 */
export const MinerStopReasonSchema = z.enum(['operator', 'shutdown', 'failure']);
export type MinerStopReason = z.infer<typeof MinerStopReasonSchema>;

/** What the operator sees of the miner at a glance. */
export const MinerStatusSchema = z.object({
  state: MinerStateSchema,
  /** One line for the operator: why the miner is in this state, or what to do next. */
  message: z.string(),
  network: NetworkSchema,
  netuid: z.number().int().min(0),
  axonPort: z.number().int().min(1).max(65535),
  /** The wallet and hotkey names the miner serves with (never key material). */
  wallet: z.object({ name: z.string(), hotkey: z.string() }),
  /** The hotkey's public address while serving. */
  hotkeyAddress: z.string().nullable(),
  model: z.object({ name: z.string(), version: z.string() }).nullable(),
  provider: ExecutionProviderSchema.nullable(),
  stats: MinerStatsSchema,
  /** When the miner entered `state` (ISO 8601). */
  since: z.iso.datetime(),
  /** Why it is not serving; null before its first start, and while it starts or serves. */
  stoppedBy: MinerStopReasonSchema.nullable(),
});
export type MinerStatus = z.infer<typeof MinerStatusSchema>;
