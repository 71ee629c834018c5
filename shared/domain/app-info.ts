import { z } from 'zod';

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** `electron` inside the desktop window, `headless` when served over a WebSocket. */
  host: z.enum(['electron', 'headless']),
  platform: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  electronVersion: z.string().nullable(),
  /** Where the database, settings and logs live. */
  dataDir: z.string(),
  startedAt: z.iso.datetime(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** A sample of the back end's own health, so an operator sees a rig struggle before the axon does. */
export const HostMetricsSchema = z.object({
  time: z.iso.datetime(),
  uptimeS: z.number().min(0),
  rssMb: z.number().min(0),
  heapUsedMb: z.number().min(0),
  /** How late a timer fired: a busy event loop delays every axon answer by this much. */
  eventLoopLagMs: z.number().min(0),
  loadAverage1m: z.number().min(0),
});
export type HostMetrics = z.infer<typeof HostMetricsSchema>;
