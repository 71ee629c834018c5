/**
 * The steps of a `train` run that happen before and after the trainer itself: export the labelled
 * hard cases, push them and the trainer scripts to the box (only what changed), start train.py
 * detached; and when it is done, pull model.onnx and model.json back.
 */
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { pullFile, pushFolder, type PushResult } from './file-sync.js';
import { jobScript, launchCommand, remoteLayout, type DetachMode } from './remote-run.js';
import type { SshClient } from './ssh-client.js';
import type { RunPatch, RunRecord } from './run-store.js';
import { exportDataset } from '../hardcases/export-dataset.js';
import type { HardCaseStore } from '../hardcases/hard-case-store.js';
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
}

export interface TrainJobOptions {
  hardCases: HardCaseStore;
  /** resources/trainer on this machine. */
  trainerDir: string;
  /** This run's local folder (the export, the pulled model). */
  localDir: string;
  syntheticShare: number;
  detach: DetachMode;
  /** More train.py flags (tests: small images, a log line every step). */
  extraArgs: readonly string[];
}

/** Export → push dataset → push trainer → start detached. Returns with the trainer running. */
export async function syncAndStartTraining(step: JobStep, options: TrainJobOptions): Promise<void> {
  const { run, host, ssh, signal } = step;
  const counts = options.hardCases.counts();
  if (counts.roadwork + counts.none === 0) {
    throw new RunFailure(
      'No labelled hard cases yet: label some as roadwork or none in the Hard cases page, then start again.',
    );
  }
  step.advance({ state: 'syncing', detail: `Exporting ${counts.roadwork + counts.none} labelled images` });
  const exportDir = join(options.localDir, 'dataset');
  await rm(exportDir, { recursive: true, force: true });
  const summary = await exportDataset(options.hardCases, {
    out: exportDir,
    synthetic: options.syntheticShare > 0 ? { share: options.syntheticShare, seed: 0 } : undefined,
  });
  step.note(
    `Exported ${summary.real} labelled and ${summary.synthetic} generated images ` +
      `(${summary.train} for training, ${summary.val} held out), data ${summary.dataHash.slice(0, 12)}`,
  );
  const layout = remoteLayout(host, run.id, summary.dataHash.slice(0, 16));
  step.advance({
    dataset: { hash: summary.dataHash, train: summary.train, val: summary.val, labelled: summary.real },
    detail: `Syncing ${summary.real + summary.synthetic} images to ${host.name}`,
  });
  signal.throwIfAborted();

  const data = await pushFolder(ssh, host, exportDir, layout.datasetDir, { deleteExtraneous: true });
  step.note(`Dataset → ${layout.datasetDir}: ${describePush(data)}`);
  await rm(exportDir, { recursive: true, force: true });
  signal.throwIfAborted();
  step.advance({ detail: 'Syncing the trainer scripts' });
  const scripts = await pushFolder(ssh, host, options.trainerDir, layout.trainerDir);
  step.note(`Trainer → ${layout.trainerDir}: ${describePush(scripts)}`);
  signal.throwIfAborted();

  // Running from here on, before the launch: a console that dies between the two finds a run to
  // reattach to (or a clear "gone"), never a job on the box it no longer knows of.
  step.advance({ state: 'running', detail: 'Starting the trainer', startedAt: new Date().toISOString() });
  const script = jobScript({
    runId: run.id,
    runDir: layout.runDir,
    python: host.python,
    script: posix.join(layout.trainerDir, 'train.py'),
    dataDir: layout.datasetDir,
    args: trainArgs(run, options.extraArgs),
  });
  const launched = await ssh.exec(host, launchCommand(layout.runDir, run.id, options.detach), { stdin: script });
  if (launched.code !== 0) {
    throw new RunFailure(
      `The trainer could not be started on ${host.name}: ${lastLines(launched.stderr || launched.stdout, 3) || `exit status ${launched.code}`}`,
    );
  }
  step.note(`Trainer ${launched.stdout.trim()} in ${layout.runDir}`);
  step.advance({ detail: 'Training' });
}

function trainArgs(run: RunRecord, extra: readonly string[]): string[] {
  const { params } = run;
  return [
    '--epochs',
    String(params.epochs),
    ...(params.maxSteps === null ? [] : ['--max-steps', String(params.maxSteps)]),
    '--batch-size',
    String(params.batchSize),
    '--base',
    params.base,
    '--device',
    params.device,
    '--name',
    `streetvision-${run.id}`,
    '--data-command',
    `console hard-case export (synthetic share ${params.syntheticShare})`,
    ...extra,
  ];
}

/** Pulls the trained model into `localDir/model`; returns that folder. */
export async function pullModel(step: Pick<JobStep, 'ssh' | 'host' | 'run'>, localDir: string): Promise<string> {
  const dir = join(localDir, 'model');
  for (const file of ['model.onnx', 'model.json']) {
    await pullFile(step.ssh, step.host, posix.join(step.run.remoteDir, file), join(dir, file));
  }
  return dir;
}

function describePush(result: PushResult): string {
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
