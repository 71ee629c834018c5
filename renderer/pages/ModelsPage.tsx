import { useState, type ReactElement } from 'react';
import { useLatest } from '../api/use-stream.js';
import { PageHeader } from '../components/Card.js';
import { FailureNote } from '../components/FailureNote.js';
import { useClient } from '../client-context.js';
import { ImportModelForm } from '../models/ImportModelForm.js';
import { ImportHfForm } from '../model-import/ImportHfForm.js';
import { ModelDetail } from '../models/ModelDetail.js';
import { RegistryTable } from '../models/RegistryTable.js';
import { useAction } from '../components/use-action.js';

/** The registry, and judging, deploying and rolling back the model the miner serves. */
export function ModelsPage(): ReactElement {
  const client = useClient();
  // The registry now, then again on every change.
  const { latest: view, failure } = useLatest('models.registry', {});
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const rollback = useAction();
  if (!view)
    return (
      <>
        <PageHeader title="Models" subtitle="Loading the registry…" />
        <FailureNote failure={failure} />
      </>
    );
  const selected =
    view.models.find((model) => model.id === selectedId) ??
    view.models.find((model) => !model.live) ??
    view.models[0] ??
    null;
  return (
    <div className="models-page">
      <PageHeader
        title="Models"
        subtitle="Every model the miner has served or could serve: judge a candidate beside the live one, deploy it, roll back."
      />
      <FailureNote failure={failure} />
      <div className="model-toolbar">
        <ImportModelForm onImported={setSelectedId} />
        <button
          type="button"
          onClick={() => rollback.run(() => client.call('models.rollback', {}))}
          disabled={rollback.busy || view.rollbackToId === null}
          title={view.rollbackToId === null ? 'No earlier deployment to go back to.' : undefined}
        >
          {view.rollbackToId === null ? 'Rollback' : `Roll back to ${view.rollbackToId}`}
        </button>
        {rollback.failure && <span className="form-error">{rollback.failure}</span>}
      </div>
      <ImportHfForm onImported={setSelectedId} />
      <RegistryTable view={view} selectedId={selected?.id ?? null} onSelect={setSelectedId} />
      {selected && <ModelDetail key={selected.id} model={selected} view={view} />}
    </div>
  );
}
