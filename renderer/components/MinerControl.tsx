import type { ReactElement } from 'react';
import type { MinerStatus } from '../../shared/domain/miner.js';
import { useCommandButton } from './use-command.js';

/** The one button: Start mining when stopped or failed, Stop when serving. */
export function MinerControl({ status }: { status: MinerStatus }): ReactElement {
  const { busy, failure, run } = useCommandButton();
  const serving = status.state === 'serving';
  const transitioning = status.state === 'starting' || status.state === 'stopping';
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
