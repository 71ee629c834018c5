/** The terminal area's part of the contract: interactive ssh sessions to the trainer hosts. */
import { z } from 'zod';
import { command, NoInput, stream } from '../contract-spec.js';
import {
  TERMINAL_MAX_INPUT,
  TerminalIdSchema,
  TerminalOutputSchema,
  TerminalSessionSchema,
  TerminalSizeSchema,
} from '../domain/terminal.js';

const TerminalId = z.object({ id: TerminalIdSchema }).strict();

export const terminalCommands = {
  'terminal.open': command({
    request: TerminalSizeSchema.extend({ hostId: z.string().min(1).max(64) }).strict(),
    response: TerminalSessionSchema,
    summary: 'Open a login shell on a trainer host (ssh under a pty, the console’s own known_hosts) at this size.',
  }),
  'terminal.list': command({
    request: NoInput,
    response: z.array(TerminalSessionSchema),
    summary: 'Every terminal the back end holds, oldest first; an ended one stays until closed.',
  }),
  'terminal.input': command({
    request: TerminalId.extend({ data: z.string().min(1).max(TERMINAL_MAX_INPUT) }).strict(),
    response: z.object({}),
    summary: 'Keystrokes or a paste for the terminal (ignored once it has ended).',
  }),
  'terminal.resize': command({
    request: TerminalId.extend(TerminalSizeSchema.shape).strict(),
    response: z.object({}),
    summary: 'The terminal’s new size in cells; the remote side gets a window change.',
  }),
  'terminal.ack': command({
    request: TerminalId.extend({
      bytes: z
        .number()
        .int()
        .min(1)
        .max(2 ** 31),
    }).strict(),
    response: z.object({}),
    summary:
      'How many bytes (UTF-8) of output the console has written to its screen: the session reads on from the host while little is unwritten.',
  }),
  'terminal.close': command({
    request: TerminalId,
    response: z.object({}),
    summary: 'End the terminal (its ssh is killed) and forget it.',
  }),
} as const;

export const terminalStreams = {
  'terminal.sessions': stream({
    params: NoInput,
    event: z.array(TerminalSessionSchema),
    summary: 'Every terminal now, then the whole list again when one opens, ends or is closed (from any console).',
  }),
  'terminal.output': stream({
    params: TerminalId,
    event: TerminalOutputSchema,
    summary:
      'The scrollback at once (the screen so far; with `exited` when it has ended or is unknown), then output in ~16 ms batches.',
  }),
} as const;
