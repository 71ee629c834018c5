import type { ReactElement } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface Series<T> {
  key: keyof T & string;
  name: string;
  colour: string;
  unit?: string;
  /** Lower is better (a rank): the axis runs top to bottom. */
  reversed?: boolean;
  step?: boolean;
}

interface Props<T> {
  data: readonly T[];
  xKey: keyof T & string;
  xLabel: (value: string) => string;
  left: Series<T>;
  /** A second series on its own axis, when there is one. */
  right?: Series<T>;
  /** What the chart shows, for screen readers. */
  label: string;
}

/** One or two series over time, each on its own axis; animation off, because these redraw as data arrives. */
export function DualAxisChart<T extends object>({ data, xKey, xLabel, left, right, label }: Props<T>): ReactElement {
  const axis = (series: Series<T>, side: 'left' | 'right'): ReactElement => (
    <YAxis
      yAxisId={series.key}
      orientation={side}
      reversed={series.reversed}
      allowDecimals={!series.reversed}
      stroke={series.colour}
      fontSize={11}
      width={64}
      tickFormatter={(value: number) => (series.unit ? `${value} ${series.unit}` : String(value))}
    />
  );
  const line = (series: Series<T>): ReactElement => (
    <Line
      yAxisId={series.key}
      type={series.step ? 'stepAfter' : 'monotone'}
      dataKey={series.key}
      name={series.name}
      stroke={series.colour}
      dot={false}
      isAnimationActive={false}
    />
  );
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={180}>
        <LineChart data={[...data]} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey={String(xKey)} tickFormatter={xLabel} minTickGap={48} stroke="var(--muted)" fontSize={11} />
          {axis(left, 'left')}
          {right && axis(right, 'right')}
          <Tooltip
            labelFormatter={(value) => (typeof value === 'string' ? xLabel(value) : '')}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
          />
          {line(left)}
          {right && line(right)}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
