import type { ReactElement } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HostMetrics } from '../../shared/domain/app-info.js';

const timeLabel = (iso: string): string =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The back end's event-loop lag and memory: animation off, because it redraws every sample. */
export function HealthChart({ samples }: { samples: HostMetrics[] }): ReactElement {
  if (samples.length < 2) return <p className="muted">Collecting samples…</p>;
  return (
    <div className="chart" role="img" aria-label="Event-loop lag and memory of the back end over the last minutes">
      <ResponsiveContainer width="100%" height={180}>
        <LineChart data={samples} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="time" tickFormatter={timeLabel} minTickGap={48} stroke="var(--muted)" fontSize={11} />
          <YAxis
            yAxisId="lag"
            stroke="var(--accent)"
            fontSize={11}
            width={64}
            tickFormatter={(value: number) => `${value} ms`}
          />
          <YAxis
            yAxisId="rss"
            orientation="right"
            stroke="var(--accent-2)"
            fontSize={11}
            width={64}
            tickFormatter={(value: number) => `${value} MB`}
          />
          <Tooltip
            labelFormatter={(label) => (typeof label === 'string' ? timeLabel(label) : '')}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
          />
          <Line
            yAxisId="lag"
            type="monotone"
            dataKey="eventLoopLagMs"
            name="Event-loop lag"
            stroke="var(--accent)"
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="rss"
            type="monotone"
            dataKey="rssMb"
            name="Memory (RSS)"
            stroke="var(--accent-2)"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
