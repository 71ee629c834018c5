import { useState, type ReactElement } from 'react';
import { FailureNote } from '../components/FailureNote.js';
import { AlertList } from './AlertList.js';
import { unacknowledged, useAlertsStore } from './alerts-store.js';
import { useAlertsFeed } from './use-alerts-feed.js';

/** The shell's bell: how many alerts wait for the operator, and the list a click away on any page. */
export function AlertsBell(): ReactElement {
  const failure = useAlertsFeed();
  const active = useAlertsStore((store) => store.active);
  const [open, setOpen] = useState(false);
  const waiting = unacknowledged(active);
  const critical = waiting.some((alert) => alert.severity === 'critical');
  return (
    <div className="alerts-bell">
      <button
        type="button"
        className={`bell-button${waiting.length > 0 ? ' bell-waiting' : ''}${critical ? ' bell-critical' : ''}`}
        aria-expanded={open}
        aria-label={`Alerts: ${waiting.length} not acknowledged`}
        data-testid="alerts-bell"
        title={failure ? `Alerts are not being followed: ${failure}` : undefined}
        onClick={() => setOpen(!open)}
      >
        <svg className="bell-icon" viewBox="0 0 16 16" aria-hidden="true">
          <path d="M8 1.5a4.5 4.5 0 0 0-4.5 4.5v3L2 11.5v1h12v-1L12.5 9V6A4.5 4.5 0 0 0 8 1.5ZM6.3 13.5a1.8 1.8 0 0 0 3.4 0Z" />
        </svg>
        Alerts
        {waiting.length > 0 && (
          <span className="bell-count" data-testid="alerts-count">
            {waiting.length}
          </span>
        )}
      </button>
      {open && (
        <div className="bell-panel" role="region" aria-label="Alerts list">
          <FailureNote failure={failure} />
          <AlertList alerts={active ?? []} />
        </div>
      )}
    </div>
  );
}
