import type { ReactElement } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StandingPoint } from '../../shared/domain/metagraph.js';

const timeLabel = (iso: string): string => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Our rank (lower is better, so the axis is reversed) and emission per day, one point per tempo. */
export function StandingHistoryChart({ points }: { points: readonly StandingPoint[] }): ReactElement {
  if (points.length < 2) return <p className="muted">One point per tempo: the chart starts after the second.</p>;
  return (
    <div className="chart" role="img" aria-label="Our rank and emission per day, one point per tempo">
      <ResponsiveContainer width="100%" height={180}>
        <LineChart data={[...points]} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="time" tickFormatter={timeLabel} minTickGap={48} stroke="var(--muted)" fontSize={11} />
          <YAxis yAxisId="rank" reversed allowDecimals={false} stroke="var(--accent)" fontSize={11} width={40} />
          <YAxis yAxisId="emission" orientation="right" stroke="var(--accent-2)" fontSize={11} width={56} />
          <Tooltip
            labelFormatter={(label) => (typeof label === 'string' ? new Date(label).toLocaleString() : '')}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
          />
          <Line
            yAxisId="rank"
            type="stepAfter"
            dataKey="rank"
            name="Rank"
            stroke="var(--accent)"
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="emission"
            type="monotone"
            dataKey="emissionPerDayAlpha"
            name="α / day"
            stroke="var(--accent-2)"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
