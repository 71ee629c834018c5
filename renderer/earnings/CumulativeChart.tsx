import type { ReactElement } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { EarningsDay } from '../../shared/domain/earnings.js';

/**
 * What mining has earned against what it has cost since the first day (one-off costs on day
 * one), and their difference: where the net line crosses zero, mining has paid for itself.
 */
export function CumulativeChart({ days }: { days: readonly EarningsDay[] }): ReactElement {
  if (days.every((day) => day.cumulativeNetUsd === null))
    return <p className="muted">Enter the TAO price in USD to see earnings against costs.</p>;
  return (
    <figure className="chart earnings-chart" role="img" aria-label="Cumulative earnings, cost and net in USD">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={[...days]} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="date" stroke="var(--muted)" fontSize={11} minTickGap={24} />
          <YAxis stroke="var(--muted)" fontSize={11} width={64} />
          <Tooltip
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
            formatter={(value) => (typeof value === 'number' ? `${value.toFixed(2)} USD` : '—')}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine
            y={0}
            stroke="var(--muted)"
            strokeDasharray="4 4"
            label={{ value: 'break-even', fill: 'var(--muted)', fontSize: 11, position: 'insideTopLeft' }}
          />
          <Line
            dataKey="cumulativeEarningsUsd"
            name="Earned"
            stroke="var(--ok)"
            dot={false}
            isAnimationActive={false}
          />
          <Line dataKey="cumulativeCostUsd" name="Cost" stroke="var(--bad)" dot={false} isAnimationActive={false} />
          <Line
            dataKey="cumulativeNetUsd"
            name="Net"
            stroke="var(--accent)"
            strokeWidth={2}
            dot={days.length < 2}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
