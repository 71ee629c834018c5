import { z } from 'zod';
import { Sha256Schema } from './sha256.js';

/** One request the axon answered or refused, as the Challenges page shows it. */
export const ChallengeRecordSchema = z.object({
  id: z.number().int().min(1),
  time: z.iso.datetime(),
  hotkey: z.string(),
  uid: z.number().int().nullable(),
  status: z.number().int(),
  message: z.string(),
  latencyMs: z.number().min(0),
  /** What we answered (null when refused). */
  prediction: z.number().min(0).max(1).nullable(),
  firstStage: z.number().min(0).max(1).nullable(),
  secondStage: z.number().min(0).max(1).nullable(),
  /** Set by testnet validators when they send it (today's validators do not). */
  testnetLabel: z.number().int().nullable(),
  /** sha256 of the image bytes: the thumbnail's (and, for hard cases, the image's) file name. */
  imageHash: Sha256Schema.nullable(),
  /** Kept whole for labelling: the miner was unsure (confidence below the hard-case threshold). */
  hardCase: z.boolean(),
});
export type ChallengeRecord = z.infer<typeof ChallengeRecordSchema>;

/** The plan's hard-case band: confidence max(p, 1 − p) below 0.70. */
export const HARD_CASE_CONFIDENCE = 0.7;
