import { FINISHED_RUN_STATES, type RunState, type TrainingRun } from '../../shared/domain/training.js';

export function isFinished(state: RunState): boolean {
  return FINISHED_RUN_STATES.includes(state);
}

/** Where a state sorts: what is happening now first, then what waits, then what is over. */
const STATE_RANK: Record<RunState, number> = {
  running: 0,
  syncing: 0,
  queued: 1,
  done: 2,
  failed: 2,
  cancelled: 2,
};

/**
 * The runs as the list shows them: those under way on top (they are what the operator watches),
 * then queued ones, then finished ones; newest first within each. The back end's order (newest
 * first) breaks ties, so two runs created in the same millisecond keep their place.
 */
export function orderRuns(runs: readonly TrainingRun[]): TrainingRun[] {
  return runs
    .map((run, index) => ({ run, index }))
    .sort(
      (a, b) =>
        STATE_RANK[a.run.state] - STATE_RANK[b.run.state] ||
        Date.parse(b.run.createdAt) - Date.parse(a.run.createdAt) ||
        a.index - b.index,
    )
    .map(({ run }) => run);
}
