/**
 * The nightly schedule (nightly-schedule.ts) driving the training runs: in the window, a `train`
 * run starts when enough labels came in since the last run's export and nothing else runs on the
 * box; at the window's end that run is sent SIGTERM (it checkpoints, and ends `cancelled` with the
 * window named as the reason).
 */
import type { Disposable } from '../../shared/contract.js';
import type { HardCaseCounts } from '../../shared/domain/hard-case.js';
import type { Settings } from '../../shared/domain/settings.js';
import { FINISHED_RUN_STATES, type TrainingRun } from '../../shared/domain/training.js';
import type { HardCaseStore } from '../hardcases/hard-case-store.js';
import type { Logger } from '../log/log-service.js';
import { NightlyScheduler, type StartDecision } from './nightly-schedule.js';
import { NightlyStateFile } from './nightly-state.js';
import type { TrainingService } from './training-service.js';

export const WINDOW_END_REASON = 'Stopped at the end of the nightly window';

/**
 * Whether a nightly run is worth starting now. "New labels" are the labelled cases beyond those
 * the last exported run trained on (a case relabelled from one class to the other is not new).
 */
export function nightlyDecision(
  runs: readonly TrainingRun[],
  counts: HardCaseCounts,
  settings: Settings,
): StartDecision {
  if (settings.training.hosts.length === 0) return { start: false, reason: 'no trainer host in Settings' };
  const active = runs.find((run) => !FINISHED_RUN_STATES.includes(run.state));
  if (active) return { start: false, reason: `run ${active.id} is still ${active.state}` };
  const labelled = counts.roadwork + counts.none;
  const last = runs.find((run) => run.kind === 'train' && run.dataset !== null);
  const fresh = labelled - (last?.dataset?.labelled ?? 0);
  const wanted = settings.schedule.minNewLabels;
  const since = last ? `since run ${last.id}` : 'and no run yet';
  if (fresh < wanted) return { start: false, reason: `${Math.max(0, fresh)} new labels ${since}; ${wanted} wanted` };
  return { start: true, reason: `${fresh} new labels ${since}` };
}

export function scheduleNightlyTraining(options: {
  training: TrainingService;
  hardCases: HardCaseStore;
  settings: { get(): Settings; onDidChange(listener: (settings: Settings) => void): Disposable };
  dataDir: string;
  log: Logger;
}): NightlyScheduler {
  const { training, hardCases, settings } = options;
  return new NightlyScheduler({
    settings,
    state: NightlyStateFile.inDataDir(options.dataDir),
    log: options.log,
    shouldStart: () => Promise.resolve(nightlyDecision(training.runs(), hardCases.counts(), settings.get())),
    startRun: () => new Promise((resolve) => resolve(training.start({ kind: 'train' }, true).id)),
    // A run this database does not know (an older data folder's) has nothing left to stop.
    stopRun: async (runId) => void (training.store.get(runId) && (await training.cancel(runId, WINDOW_END_REASON))),
  });
}
