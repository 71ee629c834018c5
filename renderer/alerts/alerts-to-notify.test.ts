import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/domain/alerts.js';
import { alertsToNotify } from './alerts-to-notify.js';

const alert = (id: string, notifiedAt: string | null): Alert => ({
  id,
  kind: 'training-failed',
  severity: 'warning',
  message: `run ${id} failed`,
  raisedAt: '2026-03-01T00:00:00.000Z',
  state: 'active',
  resolvedAt: null,
  acknowledgedAt: null,
  notifiedAt,
});

describe('web notifications', () => {
  it('shows each alert the back end notified once, and none it held back or the page already knew', () => {
    const known = new Set(['1']);
    const at = '2026-03-01T00:00:01.000Z';
    expect(alertsToNotify(known, [alert('1', at), alert('2', at), alert('3', null)]).map((a) => a.id)).toEqual(['2']);
    expect(alertsToNotify(known, [alert('2', at), alert('4', at)]).map((a) => a.id)).toEqual(['4']);
  });
});
