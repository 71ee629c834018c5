import { z } from 'zod';

/*
 * A terminal to a trainer host: an interactive ssh session the back end owns (a pty), shown by
 * xterm.js in the console. The console holds no terminal state of its own; it reads the screen
 * back from the session's scrollback whenever it (re)attaches.
 */

export const TERMINAL_MAX_COLS = 1000;
export const TERMINAL_MAX_ROWS = 500;
/** A keystroke burst or a paste; larger pastes are sent in pieces. */
export const TERMINAL_MAX_INPUT = 64 * 1024;

export const TerminalIdSchema = z.string().regex(/^term-[0-9]{1,9}$/, 'must be a terminal id ("term-N")');

export const TerminalSizeSchema = z
  .object({
    cols: z.number().int().min(2).max(TERMINAL_MAX_COLS),
    rows: z.number().int().min(1).max(TERMINAL_MAX_ROWS),
  })
  .strict();

export const TerminalSessionSchema = z.object({
  id: TerminalIdSchema,
  hostId: z.string(),
  /** The tab's label: the host's name, numbered when it has several. */
  title: z.string(),
  state: z.enum(['running', 'exited']),
  /** Why it ended, in the operator's terms (null while running). */
  exitMessage: z.string().nullable(),
});
export type TerminalSession = z.infer<typeof TerminalSessionSchema>;

export const TerminalOutputSchema = z.object({
  /** What the host printed since the last event; the first event replays the scrollback. */
  data: z.string(),
  /** Set once the session has ended: why. */
  exited: z.string().optional(),
});
export type TerminalOutput = z.infer<typeof TerminalOutputSchema>;
