import { z } from 'zod';

export const LogLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof LogLevelSchema>;

export const LogEntrySchema = z.object({
  /** Increases by one per entry for the life of the back end; lets a client spot gaps. */
  seq: z.number().int().min(0),
  time: z.iso.datetime(),
  level: LogLevelSchema,
  /** The room that wrote it: `host`, `settings`, `miner`, … */
  source: z.string().min(1).max(64),
  message: z.string().max(4000),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

export const MAX_LOG_BACKLOG = 1000;
