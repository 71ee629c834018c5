import { useState, type ReactElement } from 'react';
import type { HostProbe } from '../../shared/domain/training.js';
import { useClient } from '../client-context.js';
import { CHECK_MARKS, probeChecklist } from './probe-checklist.js';
import { errorMessage } from '../../shared/errors.js';
import { FailureNote } from '../components/FailureNote.js';

/** "Test connection": ssh, Python, PyTorch, CUDA, GPU and disk, each with what the host said. */
export function HostProbeCheck({ hostId }: { hostId: string }): ReactElement {
  const client = useClient();
  const [probe, setProbe] = useState<HostProbe | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const test = (): void => {
    setBusy(true);
    setFailure(null);
    client
      .call('training.testHost', { hostId })
      .then(setProbe, (error: unknown) => setFailure(errorMessage(error)))
      .finally(() => setBusy(false));
  };

  return (
    <div className="host-probe" data-testid={`host-probe-${hostId}`}>
      <button type="button" className="button-stop" disabled={busy} onClick={test}>
        {busy ? 'Testing… (importing PyTorch can take a while)' : 'Test connection'}
      </button>
      {probe && (
        <>
          <p role="status" className={probe.ok ? 'probe-ok' : 'form-error'}>
            {probe.message}
          </p>
          <ul className="checklist" aria-label="Connection test">
            {probeChecklist(probe).map((row) => (
              <li key={row.id} data-check={row.id} data-status={row.status} className={`check-${row.status}`}>
                <span className="check-mark" aria-hidden="true">
                  {CHECK_MARKS[row.status]}
                </span>
                <span className="check-label">{row.label}</span>
                <span className="check-status">{row.status}</span>
                <span className="check-message">{row.message}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <FailureNote failure={failure} />
    </div>
  );
}
