import type { Alert } from '../../shared/domain/alerts.js';

/** The alerts of this event to notify: marked notified by the back end and not known before. */
export function alertsToNotify(known: Set<string>, alerts: readonly Alert[]): Alert[] {
  const fresh = alerts.filter((alert) => !known.has(alert.id) && alert.notifiedAt !== null);
  for (const alert of alerts) known.add(alert.id);
  return fresh;
}
