import type { ReactElement } from 'react';
import type { RegisteredModel } from '../../shared/domain/model-registry.js';

/** Asks before the served model changes, with the gate's verdict in view. */
export function DeployDialog({
  model,
  liveId,
  busy,
  failure,
  onConfirm,
  onCancel,
}: {
  model: RegisteredModel;
  liveId: string | null;
  busy: boolean;
  failure: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}): ReactElement {
  const gate = model.evaluation?.gate;
  return (
    <div className="dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="deploy-title" className="dialog">
        <h2 id="deploy-title">
          Deploy {model.name} {model.version}?
        </h2>
        <p>
          It replaces {liveId ?? 'the live model'}. A serving miner swaps it in without a restart and without dropping a
          request; a stopped one serves it from its next start.
        </p>
        {gate && (
          <p data-testid="deploy-verdict" className={gate.passed ? 'diff-better' : 'diff-worse'}>
            {gate.summary}
          </p>
        )}
        {failure && <p className="form-error">{failure}</p>}
        <div className="form-actions">
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button-start" onClick={onConfirm} disabled={busy || !gate?.passed}>
            {busy ? 'Deploying…' : 'Deploy'}
          </button>
        </div>
      </div>
    </div>
  );
}
