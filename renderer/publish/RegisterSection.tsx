import { useState, type ReactElement } from 'react';
import type { RegistrationStatus } from '../../shared/domain/publish.js';
import { useClient } from '../client-context.js';
import { useAction } from '../components/use-action.js';

/** Register the published repo with the NATIX application server, and what it answers. */
export function RegisterSection({ repo, status }: { repo: string; status: RegistrationStatus | null }): ReactElement {
  const client = useClient();
  const register = useAction();
  const [uid, setUid] = useState('');
  const active = status && status.state !== 'idle';
  return (
    <section aria-label="NATIX registration">
      <h3>Register with NATIX</h3>
      <p className="muted">
        Signs the current time with the hotkey and sends the uid, hotkey and model repo as the subnet’s register.sh
        does. The uid comes from the metagraph while mining; give it otherwise.
      </p>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          register.run(() =>
            client.call('publish.register', { modelRepo: repo, ...(uid.trim() === '' ? {} : { uid: Number(uid) }) }),
          );
        }}
      >
        <label>
          uid{' '}
          <input
            type="number"
            min={0}
            value={uid}
            placeholder="from the metagraph"
            onChange={(e) => setUid(e.target.value)}
          />
        </label>
        <button type="submit" disabled={register.busy || repo === ''}>
          Register with NATIX
        </button>
      </form>
      {register.failure && <p className="form-error">{register.failure}</p>}
      {active && (
        <p
          data-testid="registration-status"
          className={
            status.state === 'succeeded'
              ? 'diff-better'
              : status.state === 'failed' || status.state === 'timed-out'
                ? 'diff-worse'
                : undefined
          }
        >
          <strong>{status.state}</strong>
          {status.uid !== null && ` (uid ${status.uid})`}: {status.message}
        </p>
      )}
    </section>
  );
}
