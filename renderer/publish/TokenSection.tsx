import { useEffect, useState, type ReactElement } from 'react';
import type { TokenStatus } from '../../shared/domain/publish.js';
import { useClient } from '../client-context.js';
import { useAction } from '../components/use-action.js';

/** The Hub token: whether one is kept and whose; a password field to give one (never shown back). */
export function TokenSection({ onStatus }: { onStatus: (status: TokenStatus) => void }): ReactElement {
  const client = useClient();
  const save = useAction();
  const [status, setStatus] = useState<TokenStatus | null>(null);
  const [token, setToken] = useState('');
  const show = (next: TokenStatus): void => {
    setStatus(next);
    onStatus(next);
  };
  useEffect(() => {
    void client.call('publish.tokenStatus', {}).then(show);
    // Once per dialog: the status changes only through this section.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);
  return (
    <section aria-label="Hugging Face token">
      <h3>Hugging Face token</h3>
      <p data-testid="token-status">
        {status === null
          ? 'Checking…'
          : status.set
            ? `Set${status.user ? ` for ${status.user}` : ''} (${status.storage === 'keychain' ? 'OS keychain' : 'file readable only by you'})${status.note ? `; ${status.note}` : ''}.`
            : 'No token yet: make one with write access at huggingface.co → Settings → Access Tokens.'}
      </p>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          save.run(async () => {
            show(await client.call('publish.setToken', { token }));
            setToken('');
          });
        }}
      >
        <label>
          Token{' '}
          <input
            type="password"
            autoComplete="off"
            value={token}
            placeholder="hf_…"
            onChange={(event) => setToken(event.target.value)}
          />
        </label>
        <button type="submit" disabled={save.busy || token.trim() === ''}>
          {status?.set ? 'Replace token' : 'Keep token'}
        </button>
        {status?.set && (
          <button
            type="button"
            disabled={save.busy}
            onClick={() => save.run(async () => show(await client.call('publish.clearToken', {})))}
          >
            Forget token
          </button>
        )}
      </form>
      {save.failure && <p className="form-error">{save.failure}</p>}
    </section>
  );
}
