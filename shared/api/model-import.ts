/** The model import's part of the contract: a Hugging Face classifier brought in as ONNX + manifest. */
import { z } from 'zod';
import { command, NoInput, stream } from '../contract-spec.js';
import { HfRepoIdSchema, HfRevisionSchema, ImportWhereSchema, ModelImportSchema } from '../domain/model-import.js';

const Conversion = {
  where: ImportWhereSchema,
  /** With `trainer`: the host (default: the settings' default host, else the first). */
  hostId: z.string().min(1).max(64).optional(),
};

export const modelImportCommands = {
  'models.importHf': command({
    request: z.object({ repo: HfRepoIdSchema, revision: HfRevisionSchema.default('main'), ...Conversion }).strict(),
    response: ModelImportSchema,
    summary:
      'Download a Hugging Face image classifier (resumable, sizes and hashes checked), convert it to ONNX here or on the training box, and register it. Answers once started; one import at a time.',
  }),
  'models.importFolder': command({
    request: z.object({ dir: z.string().min(1).max(4096), ...Conversion }).strict(),
    response: ModelImportSchema,
    summary:
      "Convert a folder on the back end's disk holding a Hugging Face classifier's files (config.json, preprocessor_config.json, weights) and register it.",
  }),
  'models.importStatus': command({
    request: NoInput,
    response: ModelImportSchema.nullable(),
    summary: 'The latest import of this session (null when none).',
  }),
  'models.importCancel': command({
    request: NoInput,
    response: ModelImportSchema.nullable(),
    summary: 'Stop the import in progress; the files downloaded so far are kept, so importing again resumes.',
  }),
} as const;

export const modelImportStreams = {
  'models.importProgress': stream({
    params: NoInput,
    event: ModelImportSchema.nullable(),
    summary: 'The latest import now, then each change (bytes at most a few times a second).',
  }),
} as const;
