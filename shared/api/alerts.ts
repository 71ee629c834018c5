/** The Alerts area's part of the contract: the alert history, acknowledging, the active ones live. */
import { z } from 'zod';
import { command, NoInput, stream } from '../contract-spec.js';
import { AlertSchema } from '../domain/alerts.js';

export const alertsCommands = {
  'alerts.list': command({
    request: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    response: z.array(AlertSchema),
    summary: 'Alerts, active and resolved, newest first.',
  }),
  'alerts.acknowledge': command({
    request: z.object({ id: z.string().min(1).max(64) }).strict(),
    response: AlertSchema.nullable(),
    summary: 'The operator has seen an alert (durable before it answers); null when there is no such alert.',
  }),
} as const;

export const alertsStreams = {
  'alerts.active': stream({
    params: NoInput,
    event: z.array(AlertSchema),
    summary: 'The alerts whose condition holds, newest first: now, then after every change.',
  }),
} as const;
