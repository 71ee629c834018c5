/** The Metagraph area's part of the contract: the subnet's metagraph live, and our standing over time. */
import { z } from 'zod';
import { command, NoInput, stream } from '../contract-spec.js';
import { MetagraphViewSchema, StandingPointSchema } from '../domain/metagraph.js';

export const metagraphCommands = {
  'metagraph.history': command({
    request: z.object({ limit: z.number().int().min(1).max(10_000).default(500) }).strict(),
    response: z.array(StandingPointSchema),
    summary: 'Our standing once per tempo, oldest first: rank, incentive, emission.',
  }),
} as const;

export const metagraphStreams = {
  'metagraph.view': stream({
    params: NoInput,
    event: MetagraphViewSchema,
    summary: 'The metagraph (local subnet or live chain) and our standing in it: now, then every change.',
  }),
} as const;
