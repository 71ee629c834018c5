import { z } from 'zod';

export const VlmServerStateSchema = z.enum(['stopped', 'starting', 'ready', 'restarting', 'stopping', 'error']);
export type VlmServerState = z.infer<typeof VlmServerStateSchema>;

/** The second stage's server (`vllm serve …`) when the console runs it for the operator. */
export const VlmServerStatusSchema = z.object({
  state: VlmServerStateSchema,
  /** One line for the operator: what is happening, or why it stopped. */
  message: z.string(),
  /** The command as the operator gave it; null before the first start. */
  command: z.string().nullable(),
  pid: z.number().int().positive().nullable(),
  /** Times the server was restarted after it died, since the operator last started it. */
  restarts: z.number().int().min(0),
  /** The server's latest output lines (what vLLM prints while it loads, or why it failed). */
  recentOutput: z.array(z.string()).max(20),
});
export type VlmServerStatus = z.infer<typeof VlmServerStatusSchema>;

export const STOPPED_VLM_SERVER: VlmServerStatus = {
  state: 'stopped',
  message: 'The console is not running a second-stage server.',
  command: null,
  pid: null,
  restarts: 0,
  recentOutput: [],
};
