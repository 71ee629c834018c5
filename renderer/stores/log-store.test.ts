import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../shared/domain/log.js';
import { appendLogEntries, LOG_KEEP } from './log-store.js';

const entry = (seq: number): LogEntry => ({
  seq,
  time: new Date(0).toISOString(),
  level: 'info',
  source: 't',
  message: `m${seq}`,
});

describe('the log slice', () => {
  it('does not show an entry twice when a reconnect replays the backlog', () => {
    const held = [entry(0), entry(1), entry(2)];
    expect(appendLogEntries(held, [entry(1), entry(2), entry(3)]).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
  });

  it('starts over when the back end restarted and counts from zero', () => {
    expect(appendLogEntries([entry(5), entry(6)], [entry(0), entry(1)]).map((e) => e.seq)).toEqual([0, 1]);
  });

  it('keeps a bounded number of entries', () => {
    const many = Array.from({ length: LOG_KEEP + 20 }, (_, i) => entry(i));
    const kept = appendLogEntries([], many);
    expect(kept).toHaveLength(LOG_KEEP);
    expect(kept.at(-1)?.seq).toBe(LOG_KEEP + 19);
  });
});
