import { useEffect, useState, type ReactElement } from 'react';
import type { RegisteredModel } from '../../shared/domain/model-registry.js';
import { HfRepoIdSchema, type ModelCardPreview, type TokenStatus } from '../../shared/domain/publish.js';
import { useClient } from '../client-context.js';
import { useAction } from '../components/use-action.js';
import { RegisterSection } from './RegisterSection.js';
import { TokenSection } from './TokenSection.js';
import { useLatest } from '../api/use-stream.js';
import { FailureNote } from '../components/FailureNote.js';
import { errorMessage } from '../../shared/errors.js';

const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** Publish a model to Hugging Face (token, repo, the card it writes, progress, the result) and register it with NATIX. */
export function PublishDialog({ model, onClose }: { model: RegisteredModel; onClose: () => void }): ReactElement {
  const client = useClient();
  const upload = useAction();
  // The upload's progress and the NATIX registration's status, as the back end streams them.
  const { latest: progress, failure: progressFailure } = useLatest('publish.progress', {});
  const { latest: registration, failure: registrationFailure } = useLatest('publish.registration', {});
  const [token, setToken] = useState<TokenStatus | null>(null);
  const [repo, setRepo] = useState(model.publishedRepo ?? '');
  const [preview, setPreview] = useState<ModelCardPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const repoOk = HfRepoIdSchema.safeParse(repo).success;

  useEffect(() => {
    if (repo === '')
      void client.call('settings.get', {}).then((settings) => setRepo((now) => now || settings.publish.hfRepo || ''));
    // The remembered repo fills an empty field once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);
  useEffect(() => {
    let current = true;
    client
      .call('publish.modelCard', { modelId: model.id, ...(repoOk ? { repo } : {}) })
      .then((next) => current && (setPreview(next), setPreviewError(null)))
      .catch((error: unknown) => current && setPreviewError(errorMessage(error)));
    return () => {
      current = false;
    };
  }, [client, model.id, repo, repoOk]);

  const ours = progress && progress.modelId === model.id ? progress : null;
  const uploading = ours?.state === 'uploading';
  return (
    <div className="dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="publish-title" className="dialog dialog-wide">
        <h2 id="publish-title">
          Publish {model.name} {model.version}
        </h2>
        {preview?.rehearsal && (
          <p className="muted" data-testid="publish-rehearsal">
            Rehearsal: on the local subnet the card names the console’s local hotkey, not a registered one.
          </p>
        )}
        <TokenSection onStatus={setToken} />

        <section aria-label="Hugging Face repo">
          <h3>Repo</h3>
          <label>
            Repo{' '}
            <input
              value={repo}
              placeholder="your-name/roadwork-miner"
              onChange={(event) => setRepo(event.target.value.trim())}
            />
          </label>
          {repo !== '' && !repoOk && (
            <p className="form-error">{HfRepoIdSchema.safeParse(repo).error?.issues[0]?.message}</p>
          )}
        </section>

        <section aria-label="Model card">
          <h3>model_card.json</h3>
          {previewError && <p className="form-error">{previewError}</p>}
          {preview && (
            <>
              <pre className="mono" data-testid="model-card-preview">
                {JSON.stringify(preview.card, null, 2)}
              </pre>
              <details>
                <summary>README.md and files</summary>
                <pre className="mono">{preview.readme}</pre>
                <ul>
                  {preview.files.map((file) => (
                    <li key={file.path}>
                      {file.path} ({mb(file.size)})
                    </li>
                  ))}
                </ul>
              </details>
            </>
          )}
        </section>

        <div className="form-actions">
          <button
            type="button"
            className="button-start"
            disabled={!repoOk || !token?.set || uploading || upload.busy}
            title={!token?.set ? 'Give a token first' : !repoOk ? 'Name the repo' : undefined}
            onClick={() => upload.run(() => client.call('publish.upload', { modelId: model.id, repo }))}
          >
            {uploading ? 'Uploading…' : 'Upload to Hugging Face'}
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
        {upload.failure && <p className="form-error">{upload.failure}</p>}
        <FailureNote failure={progressFailure ?? registrationFailure} />
        {ours && (
          <div data-testid="publish-progress">
            <progress max={Math.max(1, ours.totalBytes)} value={ours.sentBytes} aria-label="Upload progress" />
            <p>
              {ours.step} {mb(ours.sentBytes)} of {mb(ours.totalBytes)}
              {ours.resumedBytes > 0 && ` (${mb(ours.resumedBytes)} already on the Hub, not sent again)`}
            </p>
            {ours.error && <p className="form-error">{ours.error}</p>}
            {ours.url && (
              <p data-testid="publish-result" className="diff-better">
                Published:{' '}
                <a href={ours.url} target="_blank" rel="noreferrer">
                  {ours.url}
                </a>
              </p>
            )}
          </div>
        )}
        {(ours?.state === 'done' || model.publishedRepo) && (
          <RegisterSection repo={ours?.repo ?? model.publishedRepo ?? repo} status={registration} />
        )}
      </div>
    </div>
  );
}
