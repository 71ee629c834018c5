/** The miner's alerts: it failed (state error), or it stopped serving when nobody told it to. */
import type { MinerStatus } from '../../shared/domain/miner.js';
import type { Condition } from './alert-store.js';

/**
 * `meantToServe`: it served, and the operator has not stopped it since (kept across restarts).
 * A miner the operator stopped, or the host shut down, did not stop by itself.
 */
export function minerConditions(status: MinerStatus, meantToServe: boolean): Condition[] {
  const stoppedOnPurpose = status.stoppedBy === 'operator' || status.stoppedBy === 'shutdown';
  const conditions: Condition[] = [];
  if (status.state === 'error')
    conditions.push({
      key: 'miner-error',
      kind: 'miner-error',
      severity: 'critical',
      message: `The miner is in error: ${status.message}`,
    });
  if (meantToServe && !stoppedOnPurpose && status.state !== 'serving' && status.state !== 'starting')
    conditions.push({
      key: 'miner-stopped',
      kind: 'miner-stopped',
      severity: 'critical',
      message:
        'The miner stopped serving without being told to (the console or the rig went down, or a start failed). Validators get no answers: start it again from the Overview.',
    });
  return conditions;
}
