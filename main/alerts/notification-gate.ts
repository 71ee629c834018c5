/**
 * Which alerts become a desktop notification. Info stays in the console's list. Each occurrence
 * of a warning or critical alert notifies at most once, and a condition that flaps (the same key
 * raised again and again) notifies once per quiet period. Warnings are also capped per window so
 * a bad hour does not bury the desktop; what was held back is counted into the next one that goes.
 * Critical alerts are never capped: they are the ones worth waking up for.
 */
import type { AlertSeverity } from '../../shared/domain/alerts.js';

export interface GateLimits {
  /** The same condition key notifies again only after this long. */
  perKeyMs: number;
  /** Warnings notified per window, at most. */
  warningsPerWindow: number;
  windowMs: number;
}

export const DEFAULT_GATE_LIMITS: GateLimits = { perKeyMs: 30 * 60_000, warningsPerWindow: 5, windowMs: 10 * 60_000 };

export type GateVerdict = { notify: false } | { notify: true; heldBack: number };

export class NotificationGate {
  private readonly lastByKey = new Map<string, number>();
  private recentWarnings: number[] = [];
  private heldBack = 0;

  constructor(
    private readonly now: () => Date,
    private readonly limits: GateLimits = DEFAULT_GATE_LIMITS,
  ) {}

  admit(key: string, severity: AlertSeverity): GateVerdict {
    if (severity === 'info') return { notify: false };
    const now = this.now().getTime();
    const last = this.lastByKey.get(key);
    if (last !== undefined && now - last < this.limits.perKeyMs) return this.holdBack();
    if (severity === 'warning') {
      this.recentWarnings = this.recentWarnings.filter((at) => now - at < this.limits.windowMs);
      if (this.recentWarnings.length >= this.limits.warningsPerWindow) return this.holdBack();
      this.recentWarnings.push(now);
    }
    this.lastByKey.set(key, now);
    const heldBack = this.heldBack;
    this.heldBack = 0;
    return { notify: true, heldBack };
  }

  private holdBack(): GateVerdict {
    this.heldBack++;
    return { notify: false };
  }
}
