/**
 * What the nightly scheduler must remember across a restart: the window it last started a run in
 * (so a console restarted inside that window does not start a second one) and the run it still
 * has to stop at the window's end. One small JSON file in the data folder, replaced durably.
 */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { describeZodError, errorMessage } from '../../shared/errors.js';
import { writeFileDurably } from '../base/durable-file.js';
import type { Logger } from '../log/log-service.js';

export const NIGHTLY_STATE_FILE = 'nightly-schedule.json';

const NightlyStateSchema = z.object({
  /** The key (local start date) of the window the scheduler last started a run in. */
  lastWindow: z.string().nullable(),
  /** The run it started and has not yet stopped, with the window end it was started for. */
  run: z.object({ id: z.string().min(1), stopAt: z.iso.datetime() }).nullable(),
});
export type NightlyState = z.infer<typeof NightlyStateSchema>;

export const EMPTY_NIGHTLY_STATE: NightlyState = { lastWindow: null, run: null };

export class NightlyStateFile {
  constructor(readonly path: string) {}

  static inDataDir(dataDir: string): NightlyStateFile {
    return new NightlyStateFile(join(dataDir, NIGHTLY_STATE_FILE));
  }

  /**
   * The state on disk; empty when there is none. An unreadable file is moved aside (kept, never
   * deleted), named in the log, and read as empty: the jobs' own check (no run active, enough new
   * labels) still guards against a second run.
   */
  async load(log: Logger): Promise<NightlyState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_NIGHTLY_STATE;
      throw error;
    }
    let problem: string;
    try {
      const parsed = NightlyStateSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      problem = describeZodError(parsed.error);
    } catch (error) {
      problem = errorMessage(error);
    }
    const aside = `${this.path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.path, aside);
    log.error(
      `The nightly schedule's state ${this.path} could not be read (${problem}). It was kept as ${aside}; ` +
        'the scheduler starts afresh.',
    );
    return EMPTY_NIGHTLY_STATE;
  }

  /** On disk (fsync'd) when it returns. */
  save(state: NightlyState): Promise<void> {
    return writeFileDurably(this.path, `${JSON.stringify(state, null, 2)}\n`);
  }
}
