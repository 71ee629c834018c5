import { create } from 'zustand';
import type { AppInfo, HostMetrics } from '../../shared/domain/app-info.js';

/** Samples kept for the health chart: ten minutes at one every two seconds. */
export const METRICS_HISTORY = 300;

interface AppStore {
  info: AppInfo | null;
  metrics: HostMetrics[];
}

export const useAppStore = create<AppStore>(() => ({ info: null, metrics: [] }));

export function appendMetrics(current: HostMetrics[], incoming: HostMetrics[]): HostMetrics[] {
  const next = current.concat(incoming);
  return next.length > METRICS_HISTORY ? next.slice(next.length - METRICS_HISTORY) : next;
}
