import type { ReactElement } from 'react';
import type { LogEntry } from '../../shared/domain/log.js';

export function LogView({ entries, limit }: { entries: LogEntry[]; limit: number }): ReactElement {
  const shown = entries.slice(-limit).reverse();
  if (shown.length === 0) return <p className="muted">No log entries yet.</p>;
  return (
    <ol className="log" aria-label="Recent log entries, newest first">
      {shown.map((entry) => (
        <li key={entry.seq} className={`log-${entry.level}`}>
          <time dateTime={entry.time}>{new Date(entry.time).toLocaleTimeString()}</time>
          <span className="log-level">{entry.level}</span>
          <span className="log-source">{entry.source}</span>
          <span className="log-message">{entry.message}</span>
        </li>
      ))}
    </ol>
  );
}
