import type { ReactElement } from 'react';
import { runCurves } from './run-curves.js';
import { MetricChart } from './MetricChart.js';
import { useTrainingStore } from './training-store.js';

/** The shown run's curves, with the compared run's dashed on the same axes. */
export function RunCurves({ runId, compareId }: { runId: string; compareId: string | null }): ReactElement {
  const main = useTrainingStore((state) => state.metrics.get(runId));
  const compared = useTrainingStore((state) => (compareId === null ? undefined : state.metrics.get(compareId)));
  if (!main) return <p className="muted">Loading the curves…</p>;
  if (main.steps.length === 0 && main.epochs.length === 0) {
    return <p className="muted">No metrics yet: the curves start with the first training steps.</p>;
  }
  const curves = runCurves(main, compared);
  return (
    <div className="run-curves" data-testid="run-curves" data-points={main.steps.length}>
      <MetricChart label="Loss per step" xKey="step" series={curves.loss} />
      <MetricChart label="Accuracy and MCC per step" xKey="step" series={curves.stepScores} scores />
      <MetricChart label="Held-out accuracy and MCC per epoch" xKey="epoch" series={curves.epochScores} scores />
    </div>
  );
}
