import { create } from 'zustand';
import type { LogEntry } from '../../shared/domain/log.js';

export const LOG_KEEP = 500;

interface LogStore {
  entries: LogEntry[];
}

export const useLogStore = create<LogStore>(() => ({ entries: [] }));

/**
 * Adds a batch, skipping entries already held: a reconnect replays the back end's backlog.
 */
export function appendLogEntries(current: LogEntry[], incoming: LogEntry[]): LogEntry[] {
  const lastSeq = current.length > 0 ? current[current.length - 1]!.seq : -1;
  const fresh = incoming.filter((entry) => entry.seq > lastSeq);
  // A back end that restarted counts from zero again: start over rather than hide its log.
  const restarted = incoming.length > 0 && incoming[0]!.seq === 0 && lastSeq >= 0;
  const next = restarted ? incoming : current.concat(fresh);
  return next.length > LOG_KEEP ? next.slice(next.length - LOG_KEEP) : next;
}
