/** The Challenges area's part of the contract: the challenges the miner answered, live, and their images. */
import { z } from 'zod';
import { command, stream } from '../contract-spec.js';
import { ChallengeRecordSchema } from '../domain/challenge.js';
import { Sha256Schema } from '../domain/sha256.js';

export const challengesCommands = {
  'challenges.thumbnail': command({
    request: z.object({ hash: Sha256Schema }).strict(),
    response: z.object({ dataUrl: z.string().startsWith('data:image/jpeg;base64,').nullable() }),
    summary: "A challenge image's thumbnail as a data URL (null when none was stored).",
  }),
} as const;

export const challengesStreams = {
  'challenges.live': stream({
    params: z.object({ backlog: z.number().int().min(0).max(1000).default(200) }).strict(),
    event: ChallengeRecordSchema,
    summary: 'Up to `backlog` recent challenges, oldest first, then each new one as it is answered.',
  }),
} as const;
