import { useState, type ReactElement } from 'react';
import type { ModelRegistryView, RegisteredModel } from '../../shared/domain/model-registry.js';
import { useClient } from '../client-context.js';
import { PublishDialog } from '../publish/PublishDialog.js';
import { DeployDialog } from './DeployDialog.js';
import { EvaluationComparison } from './EvaluationComparison.js';
import { describeAge, describeOrigin } from './model-format.js';
import { useAction } from '../components/use-action.js';

/** Why Deploy cannot be pressed, or null when it can. */
function deployBlocker(model: RegisteredModel): string | null {
  if (model.live) return 'This model is live.';
  if (!model.evaluation) return 'Evaluate it first: the gate judges its numbers.';
  if (!model.evaluation.gate.passed) return model.evaluation.gate.summary;
  return null;
}

/** One model: what it is, how it compares with the live one, and what can be done with it. */
export function ModelDetail({ model, view }: { model: RegisteredModel; view: ModelRegistryView }): ReactElement {
  const client = useClient();
  const evaluate = useAction();
  const deploy = useAction();
  const publish = useAction();
  const [confirming, setConfirming] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [publishedOn, setPublishedOn] = useState(new Date().toISOString().slice(0, 10));
  const blocker = deployBlocker(model);
  const evaluating = view.evaluatingId !== null;
  return (
    <section className="card card-wide model-detail" aria-label={`Model ${model.id}`}>
      <h2>
        {model.name} {model.version}
        {model.live && <span className="badge badge-live">Live</span>}
      </h2>
      <dl className="model-facts">
        <dt>Architecture</dt>
        <dd>{model.architecture}</dd>
        <dt>Origin</dt>
        <dd>{describeOrigin(model.origin)}</dd>
        <dt>Parent</dt>
        <dd className="mono">{model.parentId ?? '—'}</dd>
        <dt>Data</dt>
        <dd className="mono">{model.dataHash}</dd>
        <dt>Folder</dt>
        <dd className="mono">{model.dir}</dd>
        <dt>Published</dt>
        <dd>{describeAge(model.age)} (the subnet’s announced plan: full reward 45 days, none from day 90)</dd>
        <dt>Deployments</dt>
        <dd>
          {model.deployments.length === 0
            ? 'Never'
            : model.deployments
                .map((d) => `${d.kind} ${new Date(d.at).toLocaleString()}${d.servedNow ? '' : ' (next start)'}`)
                .join('; ')}
        </dd>
      </dl>

      <div className="model-actions">
        <button
          type="button"
          onClick={() => evaluate.run(() => client.call('models.evaluate', { id: model.id }))}
          disabled={evaluating || evaluate.busy}
        >
          {view.evaluatingId === model.id ? 'Evaluating…' : 'Evaluate'}
        </button>
        <button
          type="button"
          className="button-start"
          onClick={() => setConfirming(true)}
          disabled={blocker !== null}
          title={blocker ?? undefined}
        >
          Deploy
        </button>
        <button type="button" onClick={() => setPublishing(true)}>
          Publish…
        </button>
        {blocker && !model.live && (
          <span className="muted" data-testid="deploy-blocker">
            {blocker}
          </span>
        )}
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            publish.run(() =>
              client.call('models.markPublished', {
                id: model.id,
                at: new Date(`${publishedOn}T12:00:00Z`).toISOString(),
              }),
            );
          }}
        >
          <label>
            Published on{' '}
            <input type="date" value={publishedOn} onChange={(event) => setPublishedOn(event.target.value)} />
          </label>
          <button type="submit" disabled={publish.busy || !publishedOn}>
            Mark published
          </button>
        </form>
      </div>
      {evaluate.failure && <p className="form-error">{evaluate.failure}</p>}
      {publish.failure && <p className="form-error">{publish.failure}</p>}

      {model.evaluation ? (
        <EvaluationComparison evaluation={model.evaluation} />
      ) : (
        <p className="muted">
          Not evaluated yet: Evaluate judges it beside the live model on the held-out set and in a short rehearsal.
        </p>
      )}

      {publishing && <PublishDialog model={model} onClose={() => setPublishing(false)} />}
      {confirming && (
        <DeployDialog
          model={model}
          liveId={view.liveId}
          busy={deploy.busy}
          failure={deploy.failure}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            deploy.run(async () => {
              await client.call('models.deploy', { id: model.id, confirm: true });
              setConfirming(false);
            })
          }
        />
      )}
    </section>
  );
}
