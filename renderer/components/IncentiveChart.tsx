import type { ReactElement } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Neuron } from '../../shared/domain/metagraph.js';

/** Every miner's incentive, highest first, with our bar in the accent colour. */
export function IncentiveChart({
  neurons,
  ourHotkey,
}: {
  neurons: readonly Neuron[];
  ourHotkey: string | null;
}): ReactElement {
  const miners = neurons
    .filter((n) => !n.validatorPermit)
    .sort((a, b) => b.incentive - a.incentive)
    .map((n, i) => ({ place: i + 1, uid: n.uid, incentive: n.incentive, ours: n.hotkey === ourHotkey }));
  return (
    <div className="chart" role="img" aria-label="Incentive of every miner, highest first, ours highlighted">
      <ResponsiveContainer width="100%" height={180}>
        <BarChart data={miners} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="place" stroke="var(--muted)" fontSize={11} />
          <YAxis stroke="var(--muted)" fontSize={11} width={48} />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? value.toFixed(4) : String(value))}
            labelFormatter={(place) => {
              const row = miners.find((m) => m.place === place);
              return row ? `uid ${row.uid}${row.ours ? ' (you)' : ''}` : '';
            }}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
          />
          <Bar dataKey="incentive" name="Incentive" isAnimationActive={false}>
            {miners.map((m) => (
              <Cell key={m.uid} fill={m.ours ? 'var(--accent)' : 'var(--accent-2)'} fillOpacity={m.ours ? 1 : 0.45} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
