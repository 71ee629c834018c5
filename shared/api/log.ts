/** The Log area's part of the contract: the back end's log entries, live. */
import { z } from 'zod';
import { stream } from '../contract-spec.js';
import { LogEntrySchema, MAX_LOG_BACKLOG } from '../domain/log.js';

export const logStreams = {
  'log.entries': stream({
    params: z.object({ backlog: z.number().int().min(0).max(MAX_LOG_BACKLOG).default(200) }).strict(),
    event: LogEntrySchema,
    summary: 'Up to `backlog` recent entries, then every new one.',
  }),
} as const;
