/**
 * Training is failing: the newest run that finished (done or failed; a cancelled one was stopped
 * on purpose) failed. It clears when a later run succeeds, and a later failure is a new alert.
 */
import type { TrainingRun } from '../../shared/domain/training.js';
import type { Condition } from './alert-store.js';

/** `runs`: newest first, as the training service lists them. */
export function trainingConditions(runs: readonly TrainingRun[]): Condition[] {
  const latest = runs.find((run) => run.state === 'done' || run.state === 'failed');
  if (latest?.state !== 'failed') return [];
  const what = latest.kind === 'train' ? 'Training run' : 'Synthetic data job';
  return [
    {
      key: `training-failed:${latest.id}`,
      kind: 'training-failed',
      severity: 'warning',
      message: `${what} ${latest.id} on ${latest.hostLabel} failed: ${latest.reason ?? latest.detail}`,
    },
  ];
}
