import { z } from 'zod';
import { NetworkSchema } from './settings.js';

export const MinerStateSchema = z.enum(['stopped', 'starting', 'running', 'stopping', 'error']);
export type MinerState = z.infer<typeof MinerStateSchema>;

/** What the operator sees of the miner at a glance. Later rooms add fields here. */
export const MinerStatusSchema = z.object({
  state: MinerStateSchema,
  /** One line for the operator: why the miner is in this state, or what to do next. */
  message: z.string(),
  network: NetworkSchema,
  netuid: z.number().int().min(0),
  axonPort: z.number().int().min(1).max(65535),
  /** The wallet and hotkey names the miner will serve with (never key material). */
  wallet: z.object({ name: z.string(), hotkey: z.string() }),
  /** When the miner entered `state` (ISO 8601). */
  since: z.iso.datetime(),
});
export type MinerStatus = z.infer<typeof MinerStatusSchema>;
