import { describe, expect, it } from 'vitest';
import { NotificationGate } from './notification-gate.js';

const LIMITS = { perKeyMs: 30 * 60_000, warningsPerWindow: 3, windowMs: 10 * 60_000 };

describe('the notification gate', () => {
  it('caps warnings per window and counts what it held back into the next one that goes', () => {
    let now = new Date('2026-03-01T00:00:00Z');
    const gate = new NotificationGate(() => now, LIMITS);
    const verdicts = ['a', 'b', 'c', 'd', 'e'].map((key) => gate.admit(key, 'warning').notify);
    expect(verdicts).toEqual([true, true, true, false, false]);
    now = new Date(now.getTime() + LIMITS.windowMs);
    expect(gate.admit('f', 'warning')).toEqual({ notify: true, heldBack: 2 });
  });

  it('lets critical alerts past the cap, never info, and a flapping condition once per quiet period', () => {
    let now = new Date('2026-03-01T00:00:00Z');
    const gate = new NotificationGate(() => now, LIMITS);
    for (const key of ['a', 'b', 'c']) gate.admit(key, 'warning');
    expect(gate.admit('miner-stopped', 'critical')).toEqual({ notify: true, heldBack: 0 });
    expect(gate.admit('axon-unchecked', 'info')).toEqual({ notify: false });
    // The same condition raised again a minute later: in the list, not on the desktop.
    now = new Date(now.getTime() + 60_000);
    expect(gate.admit('miner-stopped', 'critical')).toEqual({ notify: false });
    now = new Date(now.getTime() + LIMITS.perKeyMs);
    expect(gate.admit('miner-stopped', 'critical')).toEqual({ notify: true, heldBack: 1 });
  });
});
