import type { ReactElement } from 'react';
import { RunDetail } from './RunDetail.js';
import { RunList } from './RunList.js';
import { StartRunForm } from './StartRunForm.js';
import { useTrainingStore } from './training-store.js';

/** The runs on the trainer hosts: start one, watch them all, look into one (and compare a second). */
export function TrainingRuns(): ReactElement {
  const selected = useTrainingStore((state) => state.runs.find((run) => run.id === state.selectedId) ?? null);
  const failure = useTrainingStore((state) => state.failure);
  return (
    <div className="cards training-runs">
      <StartRunForm />
      <section className="card card-wide" aria-label="Runs">
        <h2>Runs</h2>
        {failure && <p className="form-error">{failure}</p>}
        <RunList />
      </section>
      {selected && <RunDetail key={selected.id} run={selected} />}
    </div>
  );
}
