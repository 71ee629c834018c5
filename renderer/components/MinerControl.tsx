import { useState, type ReactElement } from 'react';
import type { MinerStatus } from '../../shared/domain/miner.js';
import { useClient } from '../client-context.js';

/** The one button: Start mining when stopped or failed, Stop when serving. */
export function MinerControl({ status }: { status: MinerStatus }): ReactElement {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const serving = status.state === 'serving';
  const transitioning = status.state === 'starting' || status.state === 'stopping';
  const run = (command: 'miner.start' | 'miner.stop'): void => {
    setBusy(true);
    setFailure(null);
    client
      .call(command, {})
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="miner-control">
      <button
        type="button"
        className={serving ? 'button-stop' : 'button-start'}
        disabled={busy || transitioning}
        onClick={() => run(serving ? 'miner.stop' : 'miner.start')}
      >
        {serving ? 'Stop mining' : 'Start mining'}
      </button>
      {failure && <p className="form-error">{failure}</p>}
    </div>
  );
}
