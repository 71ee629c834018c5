/**
 * Old runs' folders and datasets pile up on the training box (a dataset of real photos is
 * gigabytes, a ViT checkpoint one more): after each finished run the console removes what only
 * its older finished runs used. Only folders of runs this console made and has finished are
 * touched; whatever else lives in the work folder is not the console's to delete.
 */
import { FINISHED_RUN_STATES } from '../../shared/domain/training.js';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';
import { remoteLayout } from '../remote/remote-run.js';
import type { RunRecord } from './run-store.js';
import { quoteRemotePath } from '../remote/shell-quote.js';
import type { SshClient } from '../remote/ssh-client.js';
import { datasetKey } from './train-job.js';

/** Finished runs whose folders stay on the box, newest first (their logs, checkpoints, datasets). */
export const KEEP_FINISHED_RUNS = 3;

export interface CleanupPlan {
  /** Remote folders: old runs, then the datasets no kept run uses. */
  runDirs: string[];
  datasetDirs: string[];
}

/** What to remove from `host`, given every run the console knows (newest first). */
export function cleanupPlan(runs: readonly RunRecord[], host: TrainerHost, keep = KEEP_FINISHED_RUNS): CleanupPlan {
  const mine = runs.filter((run) => run.hostId === host.id);
  const finished = mine.filter((run) => FINISHED_RUN_STATES.includes(run.state));
  const kept = new Set([...mine.filter((run) => !FINISHED_RUN_STATES.includes(run.state)), ...finished.slice(0, keep)]);
  const old = finished.slice(keep);
  const datasetOf = (run: RunRecord) =>
    run.dataset?.hash ? remoteLayout(host, run.id, datasetKey(run.dataset.hash)).datasetDir : null;
  const keptDatasets = new Set([...kept].map(datasetOf));
  const datasetDirs = [...new Set(old.map(datasetOf))].filter(
    (dir): dir is string => dir !== null && !keptDatasets.has(dir),
  );
  return { runDirs: old.map((run) => run.remoteDir), datasetDirs };
}

/** Removes the plan's folders in one ssh round trip; returns how many of each went. */
export async function cleanBox(ssh: SshClient, host: TrainerHost, plan: CleanupPlan): Promise<CleanupPlan> {
  const dirs = [...plan.runDirs, ...plan.datasetDirs];
  if (dirs.length === 0) return plan;
  const result = await ssh.exec(host, `rm -rf -- ${dirs.map(quoteRemotePath).join(' ')}`, { timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(result.stderr.trim() || `rm exited with ${result.code}`);
  return plan;
}
