import { useRef } from 'react';
import { useStream } from '../api/use-stream.js';
import { useAppStore } from '../stores/app-store.js';
import { useAlertsStore } from './alerts-store.js';
import { alertsToNotify } from './alerts-to-notify.js';
import { showWebNotification, webNotificationsAllowed } from './web-notifications.js';

/**
 * Feeds the alerts store from `alerts.active` for as long as the shell is on screen, and shows a
 * web notification for each new alert the back end notified (headless only). The alerts already
 * active when the page opened are not notified again. Answers why the feed failed, if it did.
 */
export function useAlertsFeed(): string | null {
  const known = useRef<Set<string> | null>(null);
  return useStream('alerts.active', {}, (events) => {
    for (const alerts of events) {
      if (known.current === null) {
        known.current = new Set(alerts.map((alert) => alert.id));
        continue;
      }
      const fresh = alertsToNotify(known.current, alerts);
      if (useAppStore.getState().info?.host !== 'headless' || !webNotificationsAllowed()) continue;
      for (const alert of fresh) showWebNotification(alert);
    }
    useAlertsStore.setState({ active: events.at(-1) ?? null });
  });
}
