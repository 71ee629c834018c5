/**
 * Importing a Hugging Face image classifier: where it comes from (a repository on the Hub, or a
 * folder of its files on the back end's disk), where it is converted (this machine or the
 * training box), and how far the import has come.
 */
import { z } from 'zod';

export { HfRepoIdSchema } from './publish.js';

/** A branch, tag or commit. */
export const HfRevisionSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w./-]+$/, 'must be a branch, tag or commit such as main')
  .refine((revision) => !revision.split('/').includes('..'), 'must not hold ".."');

/** Where the conversion to ONNX runs: this machine (needs PyTorch here) or a trainer host. */
export const ImportWhereSchema = z.enum(['local', 'trainer']);
export type ImportWhere = z.infer<typeof ImportWhereSchema>;

export const ImportSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('hub'),
    repo: z.string(),
    revision: z.string(),
    /** The commit the revision resolved to, once the Hub answered. */
    commit: z.string().nullable(),
  }),
  z.object({ kind: z.literal('folder'), dir: z.string() }),
]);
export type ImportSource = z.infer<typeof ImportSourceSchema>;

export const ImportPhaseSchema = z.enum(['downloading', 'converting', 'registering', 'done', 'failed', 'cancelled']);
export type ImportPhase = z.infer<typeof ImportPhaseSchema>;

export const ModelImportSchema = z.object({
  id: z.string(),
  source: ImportSourceSchema,
  where: ImportWhereSchema,
  /** The trainer host converting it (null: this machine). */
  hostId: z.string().nullable(),
  phase: ImportPhaseSchema,
  /** One line for the operator: what is happening now, or why it failed. */
  detail: z.string(),
  /** The file being downloaded now. */
  file: z.string().nullable(),
  /** Bytes of the repository's files on disk, of all it needs (0 while unknown). */
  bytesDone: z.number().int().min(0),
  bytesTotal: z.number().int().min(0),
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }).nullable(),
  /** The registered model, once done. */
  modelId: z.string().nullable(),
});
export type ModelImport = z.infer<typeof ModelImportSchema>;

/** The base model of the subnet, offered first. */
export const SUBNET_BASE_MODEL = 'natix-network-org/roadwork';
