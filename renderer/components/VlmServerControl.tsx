import { useState, type ReactElement } from 'react';
import { useClient } from '../client-context.js';
import { useVlmStore } from '../stores/vlm-store.js';

const STATE_LABELS = {
  stopped: 'Not running',
  starting: 'Starting',
  ready: 'Ready',
  restarting: 'Restarting',
  stopping: 'Stopping',
  error: 'Failed',
} as const;

/** Start and stop the second-stage server the console supervises, with what it last printed. */
export function VlmServerControl(): ReactElement | null {
  const client = useClient();
  const status = useVlmStore((store) => store.status);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (!status) return null;
  const running = status.state === 'starting' || status.state === 'ready' || status.state === 'restarting';
  const run = (command: 'vlm.start' | 'vlm.stop'): void => {
    setBusy(true);
    setFailure(null);
    client
      .call(command, {})
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="vlm-server" aria-label="Second-stage server">
      <div className="vlm-server-row">
        <span className={`state-pill state-${status.state}`}>{STATE_LABELS[status.state]}</span>
        <span className="muted">
          {status.message}
          {status.pid !== null ? ` (pid ${status.pid})` : ''}
        </span>
        <button
          type="button"
          disabled={busy || status.state === 'stopping'}
          onClick={() => run(running ? 'vlm.stop' : 'vlm.start')}
        >
          {running ? 'Stop server' : 'Start server'}
        </button>
      </div>
      {failure && <p className="form-error">{failure}</p>}
      {status.recentOutput.length > 0 && (
        <pre className="vlm-output" aria-label="Its latest output">
          {status.recentOutput.slice(-6).join('\n')}
        </pre>
      )}
    </section>
  );
}
