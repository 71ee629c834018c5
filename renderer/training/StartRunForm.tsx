import { useState, type ReactElement } from 'react';
import { DEFAULT_GENERATED_COUNT, type RunKind, type RunParams } from '../../shared/domain/training.js';
import { useClient } from '../client-context.js';
import { useAction } from '../components/use-action.js';
import { useSettingsStore } from '../stores/settings-store.js';
import { navigate } from '../stores/nav-store.js';
import { selectRun } from './training-store.js';
import { FailureNote } from '../components/FailureNote.js';

const KIND_LABELS: Record<RunKind, string> = { train: 'Train', synthetic: 'Generate scenes' };

/** Starts a run on a trainer host; the run then appears in the list, selected. */
export function StartRunForm(): ReactElement {
  const client = useClient();
  const training = useSettingsStore((store) => store.settings?.training);
  const hosts = training?.hosts ?? [];
  const [hostId, setHostId] = useState('');
  const [kind, setKind] = useState<RunKind>('train');
  const [epochs, setEpochs] = useState('');
  const [maxSteps, setMaxSteps] = useState('');
  const [count, setCount] = useState('');
  const [device, setDevice] = useState<RunParams['device']>('auto');
  const action = useAction();

  if (training && hosts.length === 0) {
    return (
      <section className="card card-wide" aria-label="Start a run">
        <h2>Start a run</h2>
        <p>
          No trainer host yet.{' '}
          <button type="button" className="link-button" onClick={() => navigate('settings')}>
            Add one in Settings
          </button>{' '}
          (Trainer hosts), check its key and test the connection, then start runs here.
        </p>
      </section>
    );
  }

  const chosenHost = hostId || training?.defaultHostId || hosts[0]?.id || '';
  const start = (): void => {
    action.run(() =>
      client
        .call('training.start', {
          kind,
          hostId: chosenHost || undefined,
          ...(kind === 'train'
            ? {
                epochs: epochs.trim() ? Number(epochs) : undefined,
                maxSteps: maxSteps.trim() ? Number(maxSteps) : undefined,
                device,
              }
            : { count: count.trim() ? Number(count) : undefined }),
        })
        .then((run) => selectRun(run.id)),
    );
  };

  return (
    <form
      className="card card-wide start-run"
      aria-label="Start a run"
      onSubmit={(event) => {
        event.preventDefault();
        start();
      }}
    >
      <h2>Start a run</h2>
      <div className="start-run-fields">
        <label>
          Host
          <select value={chosenHost} onChange={(event) => setHostId(event.target.value)}>
            {hosts.map((host) => (
              <option key={host.id} value={host.id}>
                {host.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="segmented">
          <legend>Kind</legend>
          {(['train', 'synthetic'] as const).map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="run-kind"
                value={option}
                checked={kind === option}
                onChange={() => setKind(option)}
              />
              <span>{KIND_LABELS[option]}</span>
            </label>
          ))}
        </fieldset>
        {kind === 'train' ? (
          <>
            <label>
              Epochs
              <input
                type="number"
                min={1}
                max={1000}
                value={epochs}
                placeholder={String(training?.epochs ?? 10)}
                onChange={(event) => setEpochs(event.target.value)}
              />
            </label>
            <label>
              Max steps
              <input
                type="number"
                min={1}
                value={maxSteps}
                placeholder="all"
                onChange={(event) => setMaxSteps(event.target.value)}
              />
            </label>
            <label>
              Device
              <select value={device} onChange={(event) => setDevice(event.target.value as RunParams['device'])}>
                <option value="auto">the GPU if there is one</option>
                <option value="cuda">the GPU (CUDA)</option>
                <option value="cpu">the CPU</option>
              </select>
            </label>
          </>
        ) : (
          <label>
            Images
            <input
              type="number"
              min={1}
              max={1000000}
              value={count}
              placeholder={String(DEFAULT_GENERATED_COUNT)}
              onChange={(event) => setCount(event.target.value)}
            />
          </label>
        )}
        <button type="submit" disabled={action.busy || !chosenHost}>
          {action.busy ? 'Starting…' : 'Start run'}
        </button>
      </div>
      <FailureNote failure={action.failure} />
    </form>
  );
}
