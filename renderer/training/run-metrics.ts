import type { RunMetrics, RunMetricsEvent } from '../../shared/domain/training.js';

/**
 * A run's metrics after one event of training.metrics: a reset replaces everything (the first
 * event, and again after a reconnect); otherwise the new points are appended. Points at or before
 * the last one held are dropped, so a batch the back end sends twice is not drawn twice.
 */
export function applyMetricsEvent(current: RunMetrics | undefined, event: RunMetricsEvent): RunMetrics {
  if (event.reset || !current) return { runId: event.runId, steps: event.steps, epochs: event.epochs };
  const lastStep = current.steps.at(-1)?.step ?? -1;
  const lastEpoch = current.epochs.at(-1)?.epoch ?? -1;
  const steps = event.steps.filter((point) => point.step > lastStep);
  const epochs = event.epochs.filter((point) => point.epoch > lastEpoch);
  if (steps.length === 0 && epochs.length === 0) return current;
  return {
    runId: current.runId,
    steps: steps.length > 0 ? current.steps.concat(steps) : current.steps,
    epochs: epochs.length > 0 ? current.epochs.concat(epochs) : current.epochs,
  };
}
