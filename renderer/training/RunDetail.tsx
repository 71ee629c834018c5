import { useState, type ReactElement } from 'react';
import type { TrainingRun } from '../../shared/domain/training.js';
import { useStream } from '../api/use-stream.js';
import { useClient } from '../client-context.js';
import { errorMessage } from '../../shared/errors.js';
import { formatEta, formatMetric, formatThroughput } from './run-format.js';
import { isFinished } from './run-order.js';
import { RunCurves } from './RunCurves.js';
import { RunLog } from './RunLog.js';
import { receiveRunMetrics, useTrainingStore } from './training-store.js';
import { FailureNote } from '../components/FailureNote.js';

/** Follows a run's metrics stream into the store while the component that shows them is mounted. */
function useRunMetrics(runId: string | null): string | null {
  return useStream('training.metrics', runId === null ? null : { id: runId }, (events) => {
    if (runId !== null) receiveRunMetrics(runId, events);
  });
}

/** The selected run: its facts, Cancel, its curves (and a compared run's), and its log. */
export function RunDetail({ run }: { run: TrainingRun }): ReactElement {
  const client = useClient();
  const compareId = useTrainingStore((state) => state.compareId);
  const compared = useTrainingStore((state) => state.runs.find((other) => other.id === compareId) ?? null);
  const [cancelling, setCancelling] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const metricsFailure = useRunMetrics(run.id);
  const comparedFailure = useRunMetrics(compareId);
  const live = !isFinished(run.state);

  const cancel = (): void => {
    setCancelling(true);
    setFailure(null);
    client
      .call('training.cancel', { id: run.id })
      .catch((error: unknown) => setFailure(errorMessage(error)))
      .finally(() => setCancelling(false));
  };

  const { params, progress, dataset } = run;
  return (
    <section className="card card-wide run-detail" aria-label="Run detail" data-testid="run-detail">
      <header className="run-detail-header">
        <h2>
          Run {run.id} <span className={`run-chip run-chip-${run.state}`}>{run.state}</span>
        </h2>
        {live && (
          <button type="button" className="button-danger" disabled={cancelling} onClick={cancel}>
            {cancelling ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </header>
      <p>{run.detail}</p>
      {run.reason && <p className="run-reason">{run.reason}</p>}
      <FailureNote failure={failure ?? metricsFailure ?? comparedFailure} />
      <dl className="run-facts">
        <dt>Host</dt>
        <dd className="mono">{run.hostLabel}</dd>
        <dt>Plan</dt>
        <dd>
          {params.epochs} epochs{params.maxSteps === null ? '' : `, at most ${params.maxSteps} steps`}, batch{' '}
          {params.batchSize}, {params.base}, {params.device}
        </dd>
        {dataset && (
          <>
            <dt>Data</dt>
            <dd>
              {dataset.train} train, {dataset.val} held out ({dataset.labelled} labelled)
            </dd>
          </>
        )}
        {progress && (
          <>
            <dt>Now</dt>
            <dd>
              epoch {progress.epoch}, loss {formatMetric(progress.loss)}, accuracy {formatMetric(progress.accuracy)},
              MCC {formatMetric(progress.mcc)} · {formatThroughput(progress.throughput)}
              {live ? ` · ${formatEta(progress.etaS)} left` : ''}
            </dd>
          </>
        )}
        {run.modelId && (
          <>
            <dt>Model</dt>
            <dd className="mono">{run.modelId}</dd>
          </>
        )}
        <dt>On the box</dt>
        <dd className="mono">{run.remoteDir}</dd>
      </dl>
      {compared && (
        <p className="muted">
          Dashed: run {compared.id} ({compared.state}, {compared.hostLabel}).
        </p>
      )}
      <RunCurves runId={run.id} compareId={compareId} />
      <RunLog runId={run.id} live={live} />
    </section>
  );
}
