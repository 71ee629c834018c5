import { z } from 'zod';
import { Sha256Schema } from './sha256.js';

export const HardCaseLabelSchema = z.enum(['roadwork', 'none', 'skip', 'unlabelled']);
export type HardCaseLabel = z.infer<typeof HardCaseLabelSchema>;

export const HardCaseSourceSchema = z.enum(['challenge', 'imported', 'generated']);

/** One image the miner was unsure of (or the operator added), and what is known of it. */
export const HardCaseSchema = z.object({
  /** sha256 of the image bytes: the same image sent twice is one case. */
  hash: Sha256Schema,
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
  /** |first stage − second stage|, when both stages answered: where they disagree, one is wrong. */
  disagreement: z.number().min(0).max(1).nullable(),
  /**
   * Cosine distance (0–2) of its embedding to the nearest labelled case's: high means nothing
   * like it is labelled yet. Null when labelled, or when no embedding is known.
   */
  uniqueness: z.number().min(0).max(2).nullable(),
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

/** The gallery's orders: least sure, least like anything labelled, most disputed, by time. */
export const HardCaseSortSchema = z.enum(['uncertainty', 'uniqueness', 'disagreement', 'newest', 'oldest']);
export type HardCaseSort = z.infer<typeof HardCaseSortSchema>;

export const HardCaseLabelFilterSchema = z.enum(['all', 'unlabelled', 'labelled', 'roadwork', 'none', 'skip']);

/** Which cases the gallery shows. A confidence range is what the histogram's brush selects. */
export const HardCaseFilterSchema = z
  .object({
    label: HardCaseLabelFilterSchema.default('all'),
    source: HardCaseSourceSchema.optional(),
    /** A validator's hotkey (ss58). */
    validator: z.string().min(1).max(64).optional(),
    /** Inclusive bounds on max(p, 1 − p); cases with no prediction are left out when set. */
    confidence: z
      .object({ min: z.number().min(0.5).max(1), max: z.number().min(0.5).max(1) })
      .strict()
      .refine((range) => range.min <= range.max, 'min must not exceed max')
      .optional(),
  })
  .strict();
export type HardCaseFilter = z.infer<typeof HardCaseFilterSchema>;

/** An ordered snapshot of the matching cases, read a page at a time: labelling does not reshuffle it. */
export const HardCaseViewSchema = z.object({ view: z.string(), total: z.number().int().min(0) });
export type HardCaseView = z.infer<typeof HardCaseViewSchema>;

export const CONFIDENCE_BINS = 20;

/** What the filters can offer for the cases a filter matches (its confidence range aside). */
export const HardCaseFacetsSchema = z.object({
  /** Cases per confidence bin: `CONFIDENCE_BINS` equal bins from 0.5 to 1 (the last one closed). */
  confidence: z.array(z.number().int().min(0)).length(CONFIDENCE_BINS),
  /** Cases with no prediction (imported ones), which no confidence range includes. */
  noConfidence: z.number().int().min(0),
  validators: z.array(z.object({ hotkey: z.string(), count: z.number().int().min(1) })),
});
export type HardCaseFacets = z.infer<typeof HardCaseFacetsSchema>;

export const PreviewImageSchema = z.object({
  dataUrl: z.string().startsWith('data:image/jpeg;base64,'),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
});

/** An upload batch's id (the renderer makes one per drop or pick). */
export const UploadBatchSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
/** A file's path inside what was dropped: `folder/roadwork/a.jpg`. No `..`, no absolute paths. */
export const UploadNameSchema = z
  .string()
  .min(1)
  .max(1000)
  .refine(
    (name) =>
      !name.startsWith('/') &&
      !name.includes('\\') &&
      name.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'a relative path with no empty, "." or ".." parts',
  );
/** Base64 characters per upload chunk: 512 KiB of bytes, well inside one 1 MiB frame. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;
