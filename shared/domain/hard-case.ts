import { z } from 'zod';

export const HardCaseLabelSchema = z.enum(['roadwork', 'none', 'skip', 'unlabelled']);
export type HardCaseLabel = z.infer<typeof HardCaseLabelSchema>;

export const HardCaseSourceSchema = z.enum(['challenge', 'imported', 'generated']);

/** One image the miner was unsure of (or the operator added), and what is known of it. */
export const HardCaseSchema = z.object({
  /** sha256 of the image bytes: the same image sent twice is one case. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  source: HardCaseSourceSchema,
  firstSeen: z.string(),
  lastSeen: z.string(),
  /** How often validators sent it. */
  timesSeen: z.number().int().min(1),
  validator: z.string().nullable(),
  prediction: z.number().min(0).max(1).nullable(),
  firstStage: z.number().min(0).max(1).nullable(),
  secondStage: z.number().min(0).max(1).nullable(),
  /** max(p, 1 − p) of the prediction: lower is less sure. */
  confidence: z.number().min(0.5).max(1).nullable(),
  testnetLabel: z.number().int().min(0).max(1).nullable(),
  label: HardCaseLabelSchema,
  labelledBy: z.string().nullable(),
  labelledAt: z.string().nullable(),
});
export type HardCase = z.infer<typeof HardCaseSchema>;

export const HardCaseCountsSchema = z.object({
  total: z.number().int().min(0),
  unlabelled: z.number().int().min(0),
  roadwork: z.number().int().min(0),
  none: z.number().int().min(0),
  skip: z.number().int().min(0),
});
export type HardCaseCounts = z.infer<typeof HardCaseCountsSchema>;

/** What a labelling step (or its undo or redo) changed, and the counters after it. */
export const LabelChangeSchema = z.object({
  hashes: z.array(z.string()),
  labels: z.record(z.string(), HardCaseLabelSchema),
  counts: HardCaseCountsSchema,
});
export type LabelChange = z.infer<typeof LabelChangeSchema>;

export const ImportVerdictSchema = z.object({
  path: z.string(),
  status: z.enum(['added', 'duplicate', 'refused']),
  hash: z.string().optional(),
  label: HardCaseLabelSchema.optional(),
  reason: z.string().optional(),
});

export const ExportSummarySchema = z.object({
  real: z.number().int().min(0),
  synthetic: z.number().int().min(0),
  train: z.number().int().min(0),
  val: z.number().int().min(0),
  roadwork: z.number().int().min(0),
  none: z.number().int().min(0),
  dataHash: z.string(),
  manifest: z.string(),
});
