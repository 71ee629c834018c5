/**
 * The OperatorApi: every command and event stream between the console's renderer and its back
 * end, each with the runtime schema that both sides check. This file is the only seam between
 * them; a transport (Electron IPC, a WebSocket) carries these names and payloads and nothing else.
 * Each area declares its part in `shared/api/<area>.ts`; this file puts them together.
 */
import type { z } from 'zod';
import { appCommands, appStreams } from './api/app.js';
import { settingsCommands, settingsStreams } from './api/settings.js';
import { minerCommands, minerStreams } from './api/miner.js';
import { challengesCommands, challengesStreams } from './api/challenges.js';
import { logStreams } from './api/log.js';
import { hardcasesCommands, hardcasesStreams } from './api/hardcases.js';
import { metagraphCommands, metagraphStreams } from './api/metagraph.js';
import { vlmCommands, vlmStreams } from './api/vlm.js';
import { trainingCommands, trainingStreams } from './api/training.js';
import { terminalCommands, terminalStreams } from './api/terminal.js';
import { modelsCommands, modelsStreams } from './api/models.js';
import { modelImportCommands, modelImportStreams } from './api/model-import.js';
import { alertsCommands, alertsStreams } from './api/alerts.js';
import { earningsCommands, earningsStreams } from './api/earnings.js';
import { publishCommands, publishStreams } from './api/publish.js';

export const commands = {
  ...appCommands,
  ...settingsCommands,
  ...minerCommands,
  ...challengesCommands,
  ...hardcasesCommands,
  ...metagraphCommands,
  ...vlmCommands,
  ...trainingCommands,
  ...terminalCommands,
  ...modelsCommands,
  ...modelImportCommands,
  ...alertsCommands,
  ...earningsCommands,
  ...publishCommands,
} as const;

export const streams = {
  ...minerStreams,
  ...settingsStreams,
  ...logStreams,
  ...challengesStreams,
  ...metagraphStreams,
  ...hardcasesStreams,
  ...vlmStreams,
  ...appStreams,
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
