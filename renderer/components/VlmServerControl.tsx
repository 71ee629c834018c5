import type { ReactElement } from 'react';
import { useVlmStore } from '../stores/vlm-store.js';
import { useCommandButton } from './use-command.js';

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
  const status = useVlmStore((store) => store.status);
  const { busy, failure, run } = useCommandButton();
  if (!status) return null;
  const running = status.state === 'starting' || status.state === 'ready' || status.state === 'restarting';
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
