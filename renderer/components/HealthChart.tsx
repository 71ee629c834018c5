import type { ReactElement } from 'react';
import type { HostMetrics } from '../../shared/domain/app-info.js';
import { DualAxisChart } from './DualAxisChart.js';

const timeLabel = (iso: string): string =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The back end's event-loop lag and memory over the last minutes. */
export function HealthChart({ samples }: { samples: HostMetrics[] }): ReactElement {
  if (samples.length < 2) return <p className="muted">Collecting samples…</p>;
  return (
    <DualAxisChart
      data={samples}
      xKey="time"
      xLabel={timeLabel}
      left={{ key: 'eventLoopLagMs', name: 'Event-loop lag', colour: 'var(--accent)', unit: 'ms' }}
      right={{ key: 'rssMb', name: 'Memory (RSS)', colour: 'var(--accent-2)', unit: 'MB' }}
      label="Event-loop lag and memory of the back end over the last minutes"
    />
  );
}
