/**
 * Headless, the desktop notification is the browser's: the back end marks which alerts it would
 * notify (its rate limit applies), and the page shows those it learns of while open. Inside the
 * desktop app the shell has already shown them, so the page shows none.
 */
import type { Alert } from '../../shared/domain/alerts.js';
import { ALERT_TITLES } from '../../shared/domain/alerts.js';

export function webNotificationsAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

export function showWebNotification(alert: Alert): void {
  const notification = new Notification(ALERT_TITLES[alert.kind], { body: alert.message, tag: `alert-${alert.id}` });
  notification.onclick = () => window.focus();
}
