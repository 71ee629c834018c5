import type { ReactElement } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CurveSeries } from './run-curves.js';

interface Props {
  /** What the chart shows, for screen readers and the test. */
  label: string;
  xKey: 'step' | 'epoch';
  series: readonly CurveSeries[];
  /** Accuracy and MCC: the axis runs to 1 and down to 0, or below it for a negative MCC. */
  scores?: boolean;
}

/**
 * Curves of one or two runs over steps or epochs. Each series brings its own points on a shared
 * numeric x axis, so runs of different lengths line up by step. Animation off: it redraws as
 * points arrive.
 */
export function MetricChart({ label, xKey, series, scores = false }: Props): ReactElement {
  return (
    <figure className="chart metric-chart" role="img" aria-label={label} data-testid={`chart-${label}`}>
      <figcaption>{label}</figcaption>
      <ResponsiveContainer width="100%" height={180}>
        <LineChart margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis
            dataKey={xKey}
            type="number"
            domain={['dataMin', 'dataMax']}
            allowDuplicatedCategory={false}
            stroke="var(--muted)"
            fontSize={11}
            minTickGap={32}
          />
          <YAxis
            domain={scores ? SCORE_DOMAIN : ['auto', 'auto']}
            stroke="var(--muted)"
            fontSize={11}
            width={48}
            tickFormatter={tick}
          />
          <Tooltip
            labelFormatter={(value) => (typeof value === 'number' ? `${xKey} ${value}` : '')}
            formatter={(value) => (typeof value === 'number' ? value.toFixed(4) : String(value))}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((line) => (
            <Line
              key={line.id}
              data={[...line.points]}
              dataKey={line.dataKey}
              name={line.name}
              stroke={line.colour}
              strokeDasharray={line.dashed ? '5 4' : undefined}
              dot={line.dots ? { r: 2 } : false}
              type="linear"
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

const SCORE_DOMAIN: [(min: number) => number, number] = [(min) => Math.min(0, Math.floor(min * 10) / 10), 1];

const tick = (value: number): string => (Math.abs(value) >= 10 ? value.toFixed(0) : value.toFixed(2));
