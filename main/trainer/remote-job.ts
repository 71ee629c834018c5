/**
 * What every kind of run does on the box: its step context, the trainer scripts pushed (only what
 * changed), and its command started detached in RUN. train-job.ts and synthetic-job.ts build on it.
 */
import { posix } from 'node:path';
import { pushFolder, type PushResult } from '../remote/file-sync.js';
import { jobScript, launchCommand, pythonCommand, type DetachMode, type RemoteLayout } from '../remote/remote-run.js';
import type { RunPatch, RunRecord } from './run-store.js';
import type { SshClient } from '../remote/ssh-client.js';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';

/** A failure told in the operator's terms: the run's reason as it stands. */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';
}

export interface JobStep {
  readonly run: RunRecord;
  readonly host: TrainerHost;
  readonly ssh: SshClient;
  readonly signal: AbortSignal;
  /** A line of the console's own in the run's log. */
  note(text: string): void;
  /** Writes a change to the run, unless it has finished meanwhile (a cancel): then the job stops. */
  advance(patch: RunPatch): void;
  /**
   * Runs an idempotent step (a push, a pull) again after a dropped link, with backoff, until it
   * succeeds, fails for another reason, or the run stops. `what` names it in the run's log.
   */
  retrying<T>(what: string, attempt: () => Promise<T>): Promise<T>;
}

/** resources/trainer to <workDir>/trainer: the scripts travel together (generate.py imports train.py). */
export async function pushTrainerScripts(step: JobStep, trainerDir: string, layout: RemoteLayout): Promise<void> {
  step.advance({ state: 'syncing', detail: 'Syncing the trainer scripts' });
  const scripts = await step.retrying('Syncing the trainer scripts', () =>
    pushFolder(step.ssh, step.host, trainerDir, layout.trainerDir),
  );
  step.note(`Trainer → ${layout.trainerDir}: ${describePush(scripts)}`);
  step.signal.throwIfAborted();
}

/**
 * Starts `script` of the trainer folder detached in RUN. The run is `running` before the launch:
 * a console that dies between the two finds a run to reattach to (or a clear "gone"), never a job
 * on the box it no longer knows of.
 */
export async function startDetached(
  step: JobStep,
  layout: RemoteLayout,
  job: {
    script: string;
    paths?: Record<string, string>;
    args: readonly string[];
    detach: DetachMode;
    what: string;
    /** Started again after it vanished: the run keeps the time it first started. */
    resumed?: boolean;
  },
): Promise<void> {
  const { run, host, ssh } = step;
  step.advance({
    state: 'running',
    detail: `${job.resumed ? 'Restarting' : 'Starting'} the ${job.what}`,
    ...(job.resumed ? {} : { startedAt: new Date().toISOString() }),
  });
  const command = pythonCommand({
    python: host.python,
    script: posix.join(layout.trainerDir, job.script),
    paths: job.paths ?? {},
    args: job.args,
  });
  const script = jobScript({ runId: run.id, runDir: layout.runDir, command });
  const launched = await ssh.exec(host, launchCommand(layout.runDir, run.id, job.detach), { stdin: script });
  if (launched.code !== 0) {
    const said = lastLines(launched.stderr || launched.stdout, 3) || `exit status ${launched.code}`;
    throw new RunFailure(`The ${job.what} could not be started on ${host.name}: ${said}`);
  }
  step.note(`${job.script} ${launched.stdout.trim()} in ${layout.runDir}`);
}

export function describePush(result: PushResult): string {
  const mb = (result.bytesSent / 1e6).toFixed(1);
  return `${result.filesSent} files sent (${mb} MB), ${result.filesUnchanged} unchanged`;
}

export function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-count)
    .join(' | ');
}
