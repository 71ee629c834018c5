import type { ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TrainingRun } from '../../shared/domain/training.js';
import { formatEta, formatGpu, formatThroughput } from './run-format.js';
import { isFinished } from './run-order.js';
import { RunProgressBar } from './RunProgressBar.js';
import { compareRun, selectRun, useTrainingStore } from './training-store.js';

const when = (iso: string): string =>
  new Date(iso).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Every run with its state, what it does now, and how far it is; select one, or a second to compare. */
export function RunList(): ReactElement {
  const { runs, loaded, selectedId, compareId } = useTrainingStore(
    useShallow(({ runs, loaded, selectedId, compareId }) => ({ runs, loaded, selectedId, compareId })),
  );
  if (!loaded) return <p className="muted">Loading runs…</p>;
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <ul className="run-list" aria-label="Runs">
      {runs.map((run) => (
        <RunRow
          key={run.id}
          run={run}
          selected={run.id === selectedId}
          compared={run.id === compareId}
          canCompare={selectedId !== null && run.id !== selectedId}
        />
      ))}
    </ul>
  );
}

function RunRow({
  run,
  selected,
  compared,
  canCompare,
}: {
  run: TrainingRun;
  selected: boolean;
  compared: boolean;
  canCompare: boolean;
}): ReactElement {
  const live = !isFinished(run.state);
  return (
    <li
      className={`run-row${selected ? ' selected' : ''}${compared ? ' compared' : ''}`}
      data-testid={`run-${run.id}`}
      data-state={run.state}
    >
      <button type="button" className="run-select" aria-pressed={selected} onClick={() => selectRun(run.id)}>
        <span className="run-title">
          {run.kind === 'train' ? 'Training' : 'Scenes'} · {when(run.createdAt)}
          {run.scheduled && <span className="badge">nightly</span>}
        </span>
        <span className="muted mono">{run.hostLabel}</span>
      </button>
      <span className={`run-chip run-chip-${run.state}`} data-testid="run-state">
        {run.state}
      </span>
      <div className="run-now">
        <span>{run.detail}</span>
        {run.reason && <span className="run-reason">{run.reason}</span>}
        {(live || run.progress) && <RunProgressBar progress={run.progress} />}
      </div>
      <dl className="run-figures">
        <dt>Speed</dt>
        <dd>{formatThroughput(run.progress?.throughput)}</dd>
        <dt>ETA</dt>
        <dd>{live ? formatEta(run.progress?.etaS) : '—'}</dd>
        <dt>Device</dt>
        <dd>{formatGpu(run.gpu, run.state === 'running')}</dd>
      </dl>
      {canCompare && (
        <label className="run-compare">
          <input
            type="checkbox"
            checked={compared}
            onChange={(event) => compareRun(event.target.checked ? run.id : null)}
          />
          Compare
        </label>
      )}
    </li>
  );
}
