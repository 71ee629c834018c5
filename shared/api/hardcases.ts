/**
 * The Hard cases area's part of the contract: the gallery (views, pages, facets, thumbnails,
 * previews), labelling with undo, importing, exporting, and the counters live.
 */
import { z } from 'zod';
import { command, NoInput, stream } from '../contract-spec.js';
import {
  ExportSummarySchema,
  HardCaseCountsSchema,
  HardCaseFacetsSchema,
  HardCaseFilterSchema,
  HardCaseLabelSchema,
  HardCaseSchema,
  HardCaseSortSchema,
  HardCaseViewSchema,
  ImportVerdictSchema,
  LabelChangeSchema,
  PreviewImageSchema,
  UPLOAD_CHUNK_BYTES,
  UploadBatchSchema,
  UploadNameSchema,
} from '../domain/hard-case.js';
import { Sha256Schema } from '../domain/sha256.js';

export const hardcasesCommands = {
  'hardcases.query': command({
    request: z
      .object({
        filter: HardCaseFilterSchema.default({ label: 'all' }),
        sort: HardCaseSortSchema.default('uncertainty'),
      })
      .strict(),
    response: HardCaseViewSchema,
    summary: 'Rank the cases a filter matches; the order is kept as a view, read with hardcases.page.',
  }),
  'hardcases.page': command({
    request: z
      .object({
        view: z.string().min(1).max(64),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(500).default(200),
      })
      .strict(),
    response: z.array(HardCaseSchema),
    summary: "A page of a view, with each case's current label. An expired view fails: query again.",
  }),
  'hardcases.facets': command({
    request: z.object({ filter: HardCaseFilterSchema.default({ label: 'all' }) }).strict(),
    response: HardCaseFacetsSchema,
    summary: 'The confidence histogram and the validators of the cases a filter matches (its confidence range aside).',
  }),
  'hardcases.thumbnails': command({
    request: z.object({ hashes: z.array(Sha256Schema).min(1).max(200) }).strict(),
    response: z.record(z.string(), z.string().startsWith('data:image/jpeg;base64,').nullable()),
    summary: 'Thumbnails of cases as data URLs, by hash (null where none can be made).',
  }),
  'hardcases.preview': command({
    request: z.object({ hash: Sha256Schema }).strict(),
    response: PreviewImageSchema,
    summary: "A case's image for the large preview, at most 2048 px on its longer side.",
  }),
  'hardcases.upload': command({
    request: z
      .object({
        batch: UploadBatchSchema,
        name: UploadNameSchema,
        offset: z.number().int().min(0),
        data: z.string().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4),
      })
      .strict(),
    response: z.object({ size: z.number().int().min(0) }),
    summary: 'Stage a chunk of a file the operator dropped or picked (base64), appended at `offset`.',
  }),
  'hardcases.importUploaded': command({
    request: z
      .object({
        batch: UploadBatchSchema,
        files: z
          .array(z.object({ name: UploadNameSchema, size: z.number().int().min(0) }).strict())
          .min(1)
          .max(10_000),
      })
      .strict(),
    response: z.array(ImportVerdictSchema),
    summary:
      'Import a staged batch as hardcases.import does (an ImageFolder brings its labels); a verdict per file, named as dropped.',
  }),
  'hardcases.counts': command({
    request: NoInput,
    response: HardCaseCountsSchema,
    summary: 'How many hard cases there are, labelled each way and not yet.',
  }),
  'hardcases.label': command({
    request: z.object({ hashes: z.array(Sha256Schema).min(1).max(10_000), label: HardCaseLabelSchema }).strict(),
    response: LabelChangeSchema,
    summary: 'Label cases as one undoable step; on disk when it answers.',
  }),
  'hardcases.import': command({
    request: z.object({ paths: z.array(z.string().min(1)).min(1).max(10_000) }).strict(),
    response: z.array(ImportVerdictSchema),
    summary:
      'Add image files and folders on the back end’s disk; an ImageFolder brings its labels. A verdict per file.',
  }),
  'hardcases.export': command({
    request: z
      .object({
        out: z.string().min(1),
        heldOut: z.number().min(0).max(0.5).default(0.1),
        syntheticShare: z.number().min(0).max(0.9).default(0),
        seed: z.number().int().min(0).default(1),
      })
      .strict(),
    response: ExportSummarySchema,
    summary: 'Write the labelled cases as an ImageFolder + manifest.jsonl to an empty folder (fixed held-out split).',
  }),
  'hardcases.undo': command({
    request: NoInput,
    response: LabelChangeSchema.nullable(),
    summary: 'Take back the latest labelling step (across restarts); null when there is none.',
  }),
  'hardcases.redo': command({
    request: NoInput,
    response: LabelChangeSchema.nullable(),
    summary: 'Do again the step undone last; null when there is none.',
  }),
} as const;

export const hardcasesStreams = {
  'hardcases.counts': stream({
    params: NoInput,
    event: HardCaseCountsSchema,
    summary: 'The hard-case counters now, then after every change (a label, an undo, new cases).',
  }),
} as const;
