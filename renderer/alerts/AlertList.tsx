import { useState, type ReactElement } from 'react';
import { ALERT_TITLES, type Alert } from '../../shared/domain/alerts.js';
import { useClient } from '../client-context.js';
import { formatTime } from './alert-time.js';
import { errorMessage } from '../../shared/errors.js';

/** Active alerts, newest first, each with what happened and an Acknowledge button until it is. */
export function AlertList({ alerts }: { alerts: readonly Alert[] }): ReactElement {
  if (alerts.length === 0)
    return (
      <p className="muted" data-testid="alerts-empty">
        No alerts: nothing needs you now.
      </p>
    );
  return (
    <ul className="alert-list" aria-label="Active alerts">
      {alerts.map((alert) => (
        <AlertItem key={alert.id} alert={alert} />
      ))}
    </ul>
  );
}

function AlertItem({ alert }: { alert: Alert }): ReactElement {
  const client = useClient();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const acknowledged = alert.acknowledgedAt !== null;
  const acknowledge = (): void => {
    setBusy(true);
    setFailure(null);
    client
      .call('alerts.acknowledge', { id: alert.id })
      .catch((error: unknown) => setFailure(errorMessage(error)))
      .finally(() => setBusy(false));
  };
  return (
    <li
      className={`alert-item alert-${alert.severity}${acknowledged ? ' alert-acknowledged' : ''}`}
      data-testid="alert-item"
      data-kind={alert.kind}
    >
      <div className="alert-head">
        <span className={`alert-severity alert-severity-${alert.severity}`}>{alert.severity}</span>
        <strong>{ALERT_TITLES[alert.kind]}</strong>
        <time className="muted" dateTime={alert.raisedAt}>
          {formatTime(alert.raisedAt)}
        </time>
      </div>
      <p className="alert-message">{alert.message}</p>
      {acknowledged ? (
        <p className="muted alert-acked">Acknowledged {formatTime(alert.acknowledgedAt!)}</p>
      ) : (
        <button type="button" onClick={acknowledge} disabled={busy}>
          Acknowledge
        </button>
      )}
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
    </li>
  );
}
