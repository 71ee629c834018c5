import { useState, type ReactElement } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EarningsDay } from '../../shared/domain/earnings.js';

const UNITS = {
  alpha: { label: 'α', key: 'alphaPerDay', name: 'α / day' },
  tao: { label: 'TAO', key: 'taoPerDay', name: 'TAO / day' },
  usd: { label: 'USD', key: 'earningsUsd', name: 'USD / day' },
} as const;
type Unit = keyof typeof UNITS;

const TOOLTIP_STYLE = { background: 'var(--panel)', border: '1px solid var(--border)' };

/** Our emission per day in the unit the operator picks; in USD the day's cost stands beside it. */
export function DailyEmissionChart({ days }: { days: readonly EarningsDay[] }): ReactElement {
  const [unit, setUnit] = useState<Unit>('alpha');
  const series = UNITS[unit];
  return (
    <figure className="chart earnings-chart" role="img" aria-label={`Emission per day in ${series.label}`}>
      <fieldset className="segmented">
        <legend>Unit</legend>
        {(Object.keys(UNITS) as Unit[]).map((option) => (
          <label key={option}>
            <input
              type="radio"
              name="earnings-unit"
              value={option}
              checked={unit === option}
              onChange={() => setUnit(option)}
            />
            <span>{UNITS[option].label}</span>
          </label>
        ))}
      </fieldset>
      <ResponsiveContainer width="100%" height={200}>
        <ComposedChart data={[...days]} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="date" stroke="var(--muted)" fontSize={11} minTickGap={24} />
          <YAxis stroke="var(--muted)" fontSize={11} width={64} />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            formatter={(value) => (typeof value === 'number' ? value.toFixed(4) : '—')}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey={series.key} name={series.name} fill="var(--ok)" isAnimationActive={false} />
          {unit === 'usd' && (
            <Line dataKey="costUsd" name="Cost / day" stroke="var(--bad)" dot={false} isAnimationActive={false} />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
