import { useState, type ReactElement } from 'react';
import type { HostKeyStatus } from '../../shared/domain/training.js';
import { useClient } from '../client-context.js';
import { errorMessage } from '../../shared/errors.js';
import { FailureNote } from '../components/FailureNote.js';

type Action = 'check' | 'trust' | 'forget';

/**
 * The host's key against the console's known_hosts. A new key is shown for the operator to
 * compare and trust explicitly (the exact fingerprint shown is what gets trusted); a changed key
 * is refused, and only a deliberate, confirmed "Forget the old key" clears it.
 */
export function HostKeyCheck({ hostId, hostLabel }: { hostId: string; hostLabel: string }): ReactElement {
  const client = useClient();
  const [status, setStatus] = useState<HostKeyStatus | null>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirmingForget, setConfirmingForget] = useState(false);

  const act = (action: Action): void => {
    setBusy(action);
    setFailure(null);
    setConfirmingForget(false);
    const request =
      action === 'check'
        ? client.call('training.hostKey', { hostId })
        : action === 'forget'
          ? client.call('training.forgetHostKey', { hostId })
          : client.call('training.trustHostKey', {
              hostId,
              fingerprint: status?.state === 'new' ? status.fingerprint : '',
            });
    request.then(setStatus, (error: unknown) => setFailure(errorMessage(error))).finally(() => setBusy(null));
  };

  return (
    <div className="host-key" data-testid={`host-key-${hostId}`}>
      <button type="button" className="button-stop" disabled={busy !== null} onClick={() => act('check')}>
        {busy === 'check' ? 'Checking…' : 'Check host key'}
      </button>
      {status && <KeyStatus status={status} />}
      {status?.state === 'new' && (
        <button type="button" disabled={busy !== null} onClick={() => act('trust')}>
          {busy === 'trust' ? 'Trusting…' : 'Trust this key'}
        </button>
      )}
      {status?.state === 'changed' && !confirmingForget && (
        <button
          type="button"
          className="button-danger"
          disabled={busy !== null}
          onClick={() => setConfirmingForget(true)}
        >
          Forget the old key…
        </button>
      )}
      {status?.state === 'changed' && confirmingForget && (
        <div role="alertdialog" aria-label="Forget the old key?" className="confirm">
          <p>
            Forget the trusted key of {hostLabel}? Do this only if you know the box was reinstalled or its key rotated:
            a key that changes by itself can mean someone is between you and the box.
          </p>
          <button type="button" className="button-danger" disabled={busy !== null} onClick={() => act('forget')}>
            Forget it
          </button>
          <button type="button" className="button-stop" onClick={() => setConfirmingForget(false)}>
            Keep it
          </button>
        </div>
      )}
      <FailureNote failure={failure} />
    </div>
  );
}

function KeyStatus({ status }: { status: HostKeyStatus }): ReactElement {
  switch (status.state) {
    case 'trusted':
      return (
        <p className="key-trusted" role="status">
          Trusted. {status.message}
        </p>
      );
    case 'new':
      return (
        <div className="key-new" role="status">
          <p>{status.message}</p>
          <p>
            Fingerprint: <code data-testid="new-fingerprint">{status.fingerprint}</code>
          </p>
        </div>
      );
    case 'changed':
      return (
        <div className="key-changed" role="alert">
          <p>
            <strong>Refused: the host key changed.</strong> {status.message}
          </p>
          <dl>
            <dt>Trusted key</dt>
            <dd>
              <code data-testid="expected-fingerprint">{status.expected}</code>
            </dd>
            <dt>Presented now</dt>
            <dd>
              <code data-testid="presented-fingerprint">{status.presented}</code>
            </dd>
          </dl>
        </div>
      );
    case 'unreachable':
      return (
        <p className="form-error" role="alert">
          {status.message}
        </p>
      );
  }
}
