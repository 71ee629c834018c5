import { useEffect } from 'react';
import { useClient } from '../client-context.js';
import { useAppStore } from '../stores/app-store.js';
import { useConnectionStore } from '../stores/connection-store.js';
import { useAlertsStore } from './alerts-store.js';
import { alertsToNotify } from './alerts-to-notify.js';
import { showWebNotification, webNotificationsAllowed } from './web-notifications.js';

/**
 * Feeds the alerts store from `alerts.active` for as long as the shell is on screen, and shows a
 * web notification for each new alert the back end notified (headless only). The alerts already
 * active when the page opened are not notified again.
 */
export function useAlertsFeed(): void {
  const client = useClient();
  useEffect(() => {
    let known: Set<string> | null = null;
    return client.subscribe(
      'alerts.active',
      {},
      (events) => {
        for (const alerts of events) {
          if (known === null) {
            known = new Set(alerts.map((alert) => alert.id));
            continue;
          }
          const fresh = alertsToNotify(known, alerts);
          if (useAppStore.getState().info?.host !== 'headless' || !webNotificationsAllowed()) continue;
          for (const alert of fresh) showWebNotification(alert);
        }
        useAlertsStore.setState({ active: events.at(-1) ?? null });
      },
      (error) => useConnectionStore.setState({ lastError: error.message }),
    );
  }, [client]);
}
