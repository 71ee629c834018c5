import { useState, type ReactElement } from 'react';
import { Card } from '../components/Card.js';
import { useAppStore } from '../stores/app-store.js';
import { AlertList } from './AlertList.js';
import { useAlertsStore } from './alerts-store.js';

/** The Overview's alerts: every active one, acknowledged from here. */
export function AlertsCard(): ReactElement {
  const active = useAlertsStore((store) => store.active);
  return (
    <Card title="Alerts" wide>
      {active === null ? <p className="muted">Waiting for the back end…</p> : <AlertList alerts={active} />}
      <WebNotificationOffer />
    </Card>
  );
}

/** Headless, the browser asks once before the console may show desktop notifications. */
function WebNotificationOffer(): ReactElement | null {
  const headless = useAppStore((store) => store.info?.host === 'headless');
  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' ? 'denied' : Notification.permission,
  );
  if (!headless || permission !== 'default') return null;
  return (
    <button
      type="button"
      className="link-button"
      onClick={() => void Notification.requestPermission().then(setPermission)}
    >
      Show alerts as desktop notifications
    </button>
  );
}
