import { z } from 'zod';

/**
 * One line of a dataset's `manifest.jsonl`: the scene generator, the hard-case export and the
 * trainer all speak it. `file` is relative to the dataset folder (an ImageFolder: `roadwork/`,
 * `none/`). `split` is absent when the trainer may choose its own held-out set.
 */
export const DatasetLabelSchema = z.enum(['none', 'roadwork']);
export type DatasetLabel = z.infer<typeof DatasetLabelSchema>;

export const DATASET_LABELS: readonly DatasetLabel[] = ['none', 'roadwork'];

export const DatasetEntrySchema = z.object({
  file: z.string().regex(/^(none|roadwork)\/[\w.-]+\.(jpg|jpeg|png|webp)$/),
  label: DatasetLabelSchema,
  split: z.enum(['train', 'val']).optional(),
  /** Where the image came from: `generated`, `challenge`, `imported`. */
  source: z.string().min(1),
  /** The generator's seed for this image, when generated. */
  seed: z.number().int().optional(),
  /** What was done to the image after it was drawn (the validators' augmentation levels). */
  distortions: z.record(z.string(), z.unknown()).optional(),
});
export type DatasetEntry = z.infer<typeof DatasetEntrySchema>;
