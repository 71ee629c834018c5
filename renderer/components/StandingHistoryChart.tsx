import type { ReactElement } from 'react';
import type { StandingPoint } from '../../shared/domain/metagraph.js';
import { DualAxisChart } from './DualAxisChart.js';

const timeLabel = (iso: string): string => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Our rank (lower is better, so its axis runs downwards), incentive and emission per day, one point per tempo. */
export function StandingHistoryChart({ points }: { points: readonly StandingPoint[] }): ReactElement {
  if (points.length < 2) return <p className="muted">One point per tempo: the chart starts after the second.</p>;
  return (
    <>
      <DualAxisChart
        data={points}
        xKey="time"
        xLabel={timeLabel}
        left={{ key: 'rank', name: 'Rank by incentive', colour: 'var(--accent)', reversed: true, step: true }}
        right={{ key: 'incentive', name: 'Incentive', colour: 'var(--accent-2)' }}
        label="Our rank and incentive, one point per tempo"
      />
      <DualAxisChart
        data={points}
        xKey="time"
        xLabel={timeLabel}
        left={{ key: 'emissionPerDayAlpha', name: 'α / day', colour: 'var(--ok)' }}
        label="Our emission per day in α, one point per tempo"
      />
    </>
  );
}
