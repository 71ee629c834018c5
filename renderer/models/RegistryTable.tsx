import type { ReactElement } from 'react';
import type { ModelRegistryView } from '../../shared/domain/model-registry.js';
import { AGE_WARNINGS, describeAge, describeOrigin } from './model-format.js';

const fixed = (value: number | null, digits = 3): string => (value === null ? '—' : value.toFixed(digits));

/** Every registered model, newest first; a row opens the model's detail. */
export function RegistryTable({
  view,
  selectedId,
  onSelect,
}: {
  view: ModelRegistryView;
  selectedId: string | null;
  onSelect: (id: string) => void;
}): ReactElement {
  return (
    <div className="table-scroll">
      <table className="challenges models-table" aria-label="Models">
        <thead>
          <tr>
            <th>Model</th>
            <th>Val MCC / accuracy</th>
            <th>Held-out MCC</th>
            <th>Data</th>
            <th>Parent</th>
            <th>Origin</th>
            <th>Age</th>
          </tr>
        </thead>
        <tbody>
          {view.models.map((model) => {
            const warning = model.age ? AGE_WARNINGS[model.age.warning] : null;
            return (
              <tr
                key={model.id}
                data-testid={`model-row-${model.id}`}
                aria-selected={model.id === selectedId}
                className={model.id === selectedId ? 'selected' : undefined}
                onClick={() => onSelect(model.id)}
              >
                <td>
                  <button type="button" className="link-button" onClick={() => onSelect(model.id)}>
                    {model.name} {model.version}
                  </button>
                  {model.live && <span className="badge badge-live">Live</span>}
                  {model.id === view.evaluatingId && <span className="badge">Evaluating…</span>}
                  <div className="muted mono">{model.id}</div>
                </td>
                <td>
                  {fixed(model.metrics.valMcc)} / {fixed(model.metrics.valAccuracy)}
                </td>
                <td>
                  {model.evaluation ? fixed(model.evaluation.candidate.heldOut.mcc) : '—'}
                  {model.evaluation && !model.live && (
                    <span className={model.evaluation.gate.passed ? 'badge badge-pass' : 'badge badge-fail'}>
                      {model.evaluation.gate.passed ? 'Gate passes' : 'Gate fails'}
                    </span>
                  )}
                </td>
                <td className="mono" title={model.dataHash}>
                  {model.dataHash.replace(/^sha256:/, '').slice(0, 10)}
                </td>
                <td className="mono">{model.parentId ?? '—'}</td>
                <td>{describeOrigin(model.origin)}</td>
                <td>
                  {describeAge(model.age)}
                  {warning && (
                    <span className={`badge age-${model.age!.warning}`} role="note">
                      {warning}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
