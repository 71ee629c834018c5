/**
 * The OperatorApi: every command and event stream between the console's renderer and its back
 * end, each with the runtime schema that both sides check. This file is the only seam between
 * them; a transport (Electron IPC, a WebSocket) carries these names and payloads and nothing else.
 */
import { z } from 'zod';
import { AppInfoSchema, HostMetricsSchema } from './domain/app-info.js';
import { ChallengeRecordSchema } from './domain/challenge.js';
import { LogEntrySchema, MAX_LOG_BACKLOG } from './domain/log.js';
import { MinerStatusSchema } from './domain/miner.js';
import { SettingsPatchSchema, SettingsSchema } from './domain/settings.js';
import { VlmServerStatusSchema } from './domain/vlm-server.js';
import { MetagraphViewSchema, StandingPointSchema } from './domain/metagraph.js';
import {
  ExportSummarySchema,
  HardCaseCountsSchema,
  HardCaseFacetsSchema,
  HardCaseFilterSchema,
  HardCaseSortSchema,
  HardCaseViewSchema,
  PreviewImageSchema,
  UPLOAD_CHUNK_BYTES,
  UploadBatchSchema,
  UploadNameSchema,
  HardCaseLabelSchema,
  HardCaseSchema,
  ImportVerdictSchema,
  LabelChangeSchema,
} from './domain/hard-case.js';

import { command, NoInput, stream } from './contract-spec.js';
import { trainingCommands, trainingStreams } from './api/training.js';
import { terminalCommands, terminalStreams } from './api/terminal.js';
import { modelsCommands, modelsStreams } from './api/models.js';
import { modelImportCommands, modelImportStreams } from './api/model-import.js';
import { alertsCommands, alertsStreams } from './api/alerts.js';
import { earningsCommands, earningsStreams } from './api/earnings.js';
import { publishCommands, publishStreams } from './api/publish.js';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const commands = {
  'app.info': command({
    request: NoInput,
    response: AppInfoSchema,
    summary: 'Name, version and host of the running back end.',
  }),
  'settings.get': command({
    request: NoInput,
    response: SettingsSchema,
    summary: 'The persisted settings.',
  }),
  'settings.update': command({
    request: SettingsPatchSchema,
    response: SettingsSchema,
    summary: 'Apply a partial change, persist it durably, and return the whole new settings.',
  }),
  'miner.status': command({
    request: NoInput,
    response: MinerStatusSchema,
    summary: "The miner's current status.",
  }),
  'miner.start': command({
    request: NoInput,
    response: MinerStatusSchema,
    summary:
      'Load the hotkey and the model, open the axon, serve. Answers once serving or failed (state error, with the reason).',
  }),
  'challenges.thumbnail': command({
    request: z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    response: z.object({ dataUrl: z.string().startsWith('data:image/jpeg;base64,').nullable() }),
    summary: "A challenge image's thumbnail as a data URL (null when none was stored).",
  }),
  'miner.stop': command({
    request: NoInput,
    response: MinerStatusSchema,
    summary: 'Stop taking requests, finish those in flight, release the model.',
  }),
  'hardcases.list': command({
    request: z
      .object({
        limit: z.number().int().min(1).max(1000).default(200),
        offset: z.number().int().min(0).default(0),
        label: HardCaseLabelSchema.optional(),
      })
      .strict(),
    response: z.array(HardCaseSchema),
    summary: 'Hard cases, least sure first, a page at a time.',
  }),
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
    request: z.object({ hashes: z.array(Sha256).min(1).max(200) }).strict(),
    response: z.record(z.string(), z.string().startsWith('data:image/jpeg;base64,').nullable()),
    summary: 'Thumbnails of cases as data URLs, by hash (null where none can be made).',
  }),
  'hardcases.preview': command({
    request: z.object({ hash: Sha256 }).strict(),
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
    request: z.object({ hashes: z.array(Sha256).min(1).max(10_000), label: HardCaseLabelSchema }).strict(),
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
  'metagraph.history': command({
    request: z.object({ limit: z.number().int().min(1).max(10_000).default(500) }).strict(),
    response: z.array(StandingPointSchema),
    summary: 'Our standing once per tempo, oldest first: rank, incentive, emission.',
  }),
  'vlm.status': command({
    request: NoInput,
    response: VlmServerStatusSchema,
    summary: "The second-stage server's status, when the console runs it.",
  }),
  'vlm.start': command({
    request: NoInput,
    response: VlmServerStatusSchema,
    summary:
      "Run the second stage's serve command from Settings and supervise it (restarts with backoff); answers at once, ready later.",
  }),
  'vlm.stop': command({
    request: NoInput,
    response: VlmServerStatusSchema,
    summary: 'Stop the second-stage server and every process it started.',
  }),
  ...trainingCommands,
  ...terminalCommands,
  ...modelsCommands,
  ...modelImportCommands,
  ...alertsCommands,
  ...earningsCommands,
  ...publishCommands,
} as const;

export const streams = {
  'miner.status': stream({
    params: NoInput,
    event: MinerStatusSchema,
    summary: 'The current status at once, then every change.',
  }),
  'settings.changed': stream({
    params: NoInput,
    event: SettingsSchema,
    summary: 'The current settings at once, then every change from any console.',
  }),
  'log.entries': stream({
    params: z.object({ backlog: z.number().int().min(0).max(MAX_LOG_BACKLOG).default(200) }).strict(),
    event: LogEntrySchema,
    summary: 'Up to `backlog` recent entries, then every new one.',
  }),
  'challenges.live': stream({
    params: z.object({ backlog: z.number().int().min(0).max(1000).default(200) }).strict(),
    event: ChallengeRecordSchema,
    summary: 'Up to `backlog` recent challenges, oldest first, then each new one as it is answered.',
  }),
  'metagraph.view': stream({
    params: NoInput,
    event: MetagraphViewSchema,
    summary: 'The metagraph (local subnet or live chain) and our standing in it: now, then every change.',
  }),
  'hardcases.counts': stream({
    params: NoInput,
    event: HardCaseCountsSchema,
    summary: 'The hard-case counters now, then after every change (a label, an undo, new cases).',
  }),
  'vlm.status': stream({
    params: NoInput,
    event: VlmServerStatusSchema,
    summary: "The second-stage server's status at once, then every change.",
  }),
  'host.metrics': stream({
    params: NoInput,
    event: HostMetricsSchema,
    summary: "A sample of the back end's memory and event-loop lag every two seconds.",
  }),
  ...trainingStreams,
  ...terminalStreams,
  ...modelsStreams,
  ...modelImportStreams,
  ...alertsStreams,
  ...earningsStreams,
  ...publishStreams,
} as const;

export type Commands = typeof commands;
export type Streams = typeof streams;
export type CommandName = keyof Commands;
export type StreamName = keyof Streams;

export type CommandRequest<K extends CommandName> = z.input<Commands[K]['request']>;
/** The request after validation (defaults filled in). */
export type CommandInput<K extends CommandName> = z.output<Commands[K]['request']>;
export type CommandResponse<K extends CommandName> = z.output<Commands[K]['response']>;
export type StreamParams<K extends StreamName> = z.input<Streams[K]['params']>;
export type StreamInput<K extends StreamName> = z.output<Streams[K]['params']>;
export type StreamEvent<K extends StreamName> = z.output<Streams[K]['event']>;

export const commandNames = Object.keys(commands) as CommandName[];
export const streamNames = Object.keys(streams) as StreamName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.hasOwn(streams, name);
}

/** The handlers of some of the commands: what one area of the back end contributes to the API. */
export type CommandHandlers<N extends CommandName> = {
  readonly [K in N]: (input: CommandInput<K>) => Promise<CommandResponse<K>>;
};

/** The sources of some of the streams. */
export type StreamSources<N extends StreamName> = {
  readonly [K in N]: (params: StreamInput<K>, emit: (event: StreamEvent<K>) => void) => Disposable;
};

export interface Disposable {
  dispose(): void;
}

/**
 * What the back end implements: one handler per command and one source per stream. Handlers
 * receive input that has already passed its schema.
 */
export interface OperatorApi {
  readonly commands: {
    readonly [K in CommandName]: (input: CommandInput<K>) => Promise<CommandResponse<K>>;
  };
  readonly streams: {
    readonly [K in StreamName]: (params: StreamInput<K>, emit: (event: StreamEvent<K>) => void) => Disposable;
  };
}
