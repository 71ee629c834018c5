/**
 * The steps of a `train` run that happen before and after the trainer itself: export the labelled
 * hard cases, push them and the trainer scripts to the box (only what changed), start train.py
 * detached; and when it is done, pull model.onnx and model.json back.
 */
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { pullFile, pushFolder } from '../remote/file-sync.js';
import { describePush, pushTrainerScripts, RunFailure, startDetached, type JobStep } from './remote-job.js';
import { remoteLayout, type DetachMode, type RemoteLayout } from '../remote/remote-run.js';
import { quoteRemotePath } from '../remote/shell-quote.js';
import type { RunRecord } from './run-store.js';
import { exportDataset } from '../hardcases/export-dataset.js';
import type { HardCaseStore } from '../hardcases/hard-case-store.js';

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
  const counts = options.hardCases.counts();
  if (counts.roadwork + counts.none === 0) {
    throw new RunFailure(
      'No labelled hard cases yet: label some as roadwork or none in the Hard cases page, then start again.',
    );
  }
  step.advance({ state: 'syncing', detail: `Exporting ${counts.roadwork + counts.none} labelled images` });
  const exportDir = join(options.localDir, 'dataset');
  await rm(exportDir, { recursive: true, force: true });
  // The box keeps the dataset; the local copy goes once sent, or once the run failed.
  let layout: RemoteLayout;
  try {
    layout = await syncDataset(step, options, exportDir);
  } finally {
    await rm(exportDir, { recursive: true, force: true });
  }
  await pushTrainerScripts(step, options.trainerDir, layout);
  await launchTrainer(step, layout, options, false);
}

/**
 * Starts train.py again in the run's folder after its job vanished without an exit status (the
 * box restarted, or the job's processes were killed): with the same arguments it resumes from
 * RUN/checkpoint.pt, and appends to the same metrics file.
 */
export async function resumeTraining(
  step: JobStep,
  options: Pick<TrainJobOptions, 'detach' | 'extraArgs'>,
): Promise<void> {
  const hash = step.run.dataset?.hash;
  if (!hash) throw new RunFailure('The run has no dataset on the box to resume with.');
  const layout = remoteLayout(step.host, step.run.id, datasetKey(hash));
  // The vanished job's markers go, so the launch does not take the folder for a job still running.
  const cleared = await step.ssh.exec(step.host, `cd ${quoteRemotePath(layout.runDir)} && rm -f job.pid pid`);
  if (cleared.code !== 0) throw new RunFailure(`The run folder ${layout.runDir} is gone from ${step.host.name}.`);
  await launchTrainer(step, layout, options, true);
}

async function launchTrainer(
  step: JobStep,
  layout: RemoteLayout,
  options: Pick<TrainJobOptions, 'detach' | 'extraArgs'>,
  resumed: boolean,
): Promise<void> {
  await startDetached(step, layout, {
    script: 'train.py',
    paths: { '--data': layout.datasetDir },
    args: ['--out', '.', ...trainArgs(step.run, options.extraArgs)],
    detach: options.detach,
    what: 'trainer',
    resumed,
  });
  step.advance({ detail: 'Training' });
}

/** The dataset's folder name on the box: enough of its hash to tell datasets apart. */
export function datasetKey(dataHash: string): string {
  return dataHash.slice(0, 16);
}

/** Exports the labelled cases and pushes them; returns where the run's files go on the box. */
async function syncDataset(step: JobStep, options: TrainJobOptions, exportDir: string): Promise<RemoteLayout> {
  const { run, host, ssh, signal } = step;
  const summary = await exportDataset(options.hardCases, {
    out: exportDir,
    synthetic: options.syntheticShare > 0 ? { share: options.syntheticShare, seed: 0 } : undefined,
  });
  step.note(
    `Exported ${summary.real} labelled and ${summary.synthetic} generated images ` +
      `(${summary.train} for training, ${summary.val} held out), data ${summary.dataHash.slice(0, 12)}`,
  );
  const layout = remoteLayout(host, run.id, datasetKey(summary.dataHash));
  step.advance({
    dataset: { hash: summary.dataHash, train: summary.train, val: summary.val, labelled: summary.real },
    detail: `Syncing ${summary.real + summary.synthetic} images to ${host.name}`,
  });
  signal.throwIfAborted();

  const data = await step.retrying('Syncing the dataset', () =>
    pushFolder(ssh, host, exportDir, layout.datasetDir, { deleteExtraneous: true }),
  );
  step.note(`Dataset → ${layout.datasetDir}: ${describePush(data)}`);
  signal.throwIfAborted();
  return layout;
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
