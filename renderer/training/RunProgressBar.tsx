import type { ReactElement } from 'react';
import type { RunProgress } from '../../shared/domain/training.js';
import { formatSteps, progressFraction } from './run-format.js';

/** step / stepsTotal as a bar; without a total yet, the bar is indeterminate. */
export function RunProgressBar({ progress }: { progress: RunProgress | null }): ReactElement {
  const fraction = progressFraction(progress);
  return (
    <div className="run-progress">
      <progress
        max={1}
        value={fraction ?? undefined}
        aria-label={fraction === null ? 'Progress' : `Progress ${Math.round(fraction * 100)} %`}
      />
      <span className="muted">{formatSteps(progress)}</span>
    </div>
  );
}
