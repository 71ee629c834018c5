import type { ReactElement } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChallengeRecord } from '../../shared/domain/challenge.js';
import { latencyBins } from '../latency-bins.js';

/** How long answered challenges took, with animation off: it redraws as challenges arrive. */
export function LatencyHistogram({ records }: { records: readonly ChallengeRecord[] }): ReactElement {
  const bins = latencyBins(records);
  return (
    <div className="chart" role="img" aria-label="Histogram of answer latency in milliseconds">
      <ResponsiveContainer width="100%" height={150}>
        <BarChart data={bins} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="bin" stroke="var(--muted)" fontSize={11} unit=" ms" />
          <YAxis allowDecimals={false} stroke="var(--muted)" fontSize={11} width={40} />
          <Tooltip contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }} />
          <Bar dataKey="count" name="Answers" fill="var(--accent-2)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
