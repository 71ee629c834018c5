import { create } from 'zustand';
import type { ApiError } from '../../shared/errors.js';
import type { RunMetrics, RunMetricsEvent, TrainingRun } from '../../shared/domain/training.js';
import { orderRuns } from './run-order.js';
import { applyMetricsEvent } from './run-metrics.js';

/**
 * The Training page's state, fed by the training.runs and training.metrics streams. The runs list
 * is followed for as long as the console is open; a run's metrics only while its curves are shown
 * (RunDetail follows them with useStream).
 */
export interface TrainingState {
  /** In the list's order (under way first, then newest). */
  runs: readonly TrainingRun[];
  loaded: boolean;
  /** The run whose detail, curves and log are shown. */
  selectedId: string | null;
  /** A second run drawn on the same axes. */
  compareId: string | null;
  /** Metrics of the runs being followed, by run id; replaced, never mutated, so readers re-render. */
  metrics: ReadonlyMap<string, RunMetrics>;
  /** Why a stream failed, for the page to say. */
  failure: string | null;
}

export const useTrainingStore = create<TrainingState>(() => ({
  runs: [],
  loaded: false,
  selectedId: null,
  compareId: null,
  metrics: new Map(),
  failure: null,
}));

/** Every run now: the list, and a selection that still names a run (the newest first, when none was made). */
export function receiveRuns(runs: readonly TrainingRun[]): void {
  useTrainingStore.setState((state) => {
    const ordered = orderRuns(runs);
    const exists = (id: string | null): boolean => id !== null && ordered.some((run) => run.id === id);
    return {
      runs: ordered,
      loaded: true,
      failure: null,
      selectedId: exists(state.selectedId) ? state.selectedId : (ordered[0]?.id ?? null),
      compareId: exists(state.compareId) ? state.compareId : null,
    };
  });
}

export function selectRun(id: string): void {
  useTrainingStore.setState((state) => ({
    selectedId: id,
    compareId: state.compareId === id ? null : state.compareId,
  }));
}

export function compareRun(id: string | null): void {
  useTrainingStore.setState((state) => ({ compareId: id === state.selectedId ? null : id }));
}

export function reportTrainingFailure(error: ApiError): void {
  useTrainingStore.setState({ failure: error.message });
}

/** A batch of one run's training.metrics events, into the store. */
export function receiveRunMetrics(runId: string, events: readonly RunMetricsEvent[]): void {
  useTrainingStore.setState((state) => {
    let current = state.metrics.get(runId);
    for (const event of events) current = applyMetricsEvent(current, event);
    if (!current || current === state.metrics.get(runId)) return {};
    const metrics = new Map(state.metrics);
    metrics.set(runId, current);
    return { metrics };
  });
}
