import { z } from 'zod';
import { ExecutionProviderSchema, NetworkSchema } from './settings.js';

export const MinerStateSchema = z.enum(['stopped', 'starting', 'serving', 'stopping', 'error']);
export type MinerState = z.infer<typeof MinerStateSchema>;

export const MinerStatsSchema = z.object({
  /** Requests that reached the axon since it started. */
  requests: z.number().int().min(0),
  /** Answered with a prediction (200). */
  answered: z.number().int().min(0),
  /** Refused by the protocol: blacklist, signature, nonce, malformed (4xx). */
  refused: z.number().int().min(0),
  /** Failed on our side (5xx). */
  errors: z.number().int().min(0),
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
  errors: 0,
  perMinute: 0,
  latencyP50Ms: null,
  latencyP99Ms: null,
};

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
});
export type MinerStatus = z.infer<typeof MinerStatusSchema>;
