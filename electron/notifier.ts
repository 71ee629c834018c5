/**
 * Alerts as the desktop's own notifications (Electron's Notification, from the main process, so
 * no renderer permission is involved). Clicking one brings the console forward.
 */
import { Notification } from 'electron';
import type { Notifier } from '../main/alerts/notifier.js';

export function electronNotifier(showConsole: () => void): Notifier {
  return {
    show({ title, body, severity }) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({
        title,
        body,
        urgency: severity === 'critical' ? 'critical' : 'normal',
      });
      notification.on('click', showConsole);
      notification.show();
    },
  };
}
