import { create } from 'zustand';
import type { Alert } from '../../shared/domain/alerts.js';

interface AlertsStore {
  /** The alerts whose condition holds, newest first; null until the back end has answered. */
  active: Alert[] | null;
}

export const useAlertsStore = create<AlertsStore>(() => ({ active: null }));

/** What the bell counts: active alerts the operator has not acknowledged. */
export function unacknowledged(alerts: readonly Alert[] | null): Alert[] {
  return (alerts ?? []).filter((alert) => alert.acknowledgedAt === null);
}
