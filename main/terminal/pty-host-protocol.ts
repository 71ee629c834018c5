/** Messages between the terminal service and its pty host process, checked on arrival. */
import { z } from 'zod';
import { TERMINAL_MAX_COLS, TERMINAL_MAX_ROWS } from '../../shared/domain/terminal.js';

/** A pty's number within one pty host process (the service's own ids are its business). */
const PtyId = z.number().int().min(1);
const Cols = z.number().int().min(1).max(TERMINAL_MAX_COLS);
const Rows = z.number().int().min(1).max(TERMINAL_MAX_ROWS);

export const PtySignalSchema = z.enum(['SIGHUP', 'SIGKILL']);
export type PtySignal = z.infer<typeof PtySignalSchema>;

export const ToPtyHostSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('open'),
    id: PtyId,
    file: z.string().min(1),
    args: z.array(z.string()),
    cols: Cols,
    rows: Rows,
    cwd: z.string().min(1),
    env: z.record(z.string(), z.string()),
  }),
  z.object({ type: z.literal('input'), id: PtyId, data: z.string() }),
  z.object({ type: z.literal('resize'), id: PtyId, cols: Cols, rows: Rows }),
  /** Flow control: the service's consoles are behind, so the pty stops reading. */
  z.object({ type: z.literal('pause'), id: PtyId }),
  z.object({ type: z.literal('resume'), id: PtyId }),
  z.object({ type: z.literal('kill'), id: PtyId, signal: PtySignalSchema }),
]);
export type ToPtyHost = z.infer<typeof ToPtyHostSchema>;

export const FromPtyHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('spawned'), id: PtyId }),
  z.object({ type: z.literal('spawn-failed'), id: PtyId, message: z.string() }),
  z.object({ type: z.literal('data'), id: PtyId, data: z.string() }),
  z.object({ type: z.literal('exit'), id: PtyId, exitCode: z.number().int(), signal: z.number().int() }),
]);
export type FromPtyHost = z.infer<typeof FromPtyHostSchema>;
