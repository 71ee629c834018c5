/**
 * How an alert reaches the desktop. The shell injects one (Electron's Notification); headless
 * there is none here, and the renderer shows a web notification for the alerts marked notified.
 */
import type { AlertSeverity } from '../../shared/domain/alerts.js';

export interface DesktopNotification {
  title: string;
  body: string;
  severity: AlertSeverity;
}

export interface Notifier {
  show(notification: DesktopNotification): void;
}

export const NO_NOTIFIER: Notifier = { show: () => undefined };
