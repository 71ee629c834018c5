/**
 * The alerts on disk: every alert raised, resolved, acknowledged and notified, so a restart
 * neither loses one nor raises it again. At most one active alert per condition key (a unique
 * partial index): the database itself keeps a condition that holds from firing twice.
 */
import type { Alert, AlertKind, AlertSeverity } from '../../shared/domain/alerts.js';
import type { Db } from '../store/database.js';

/** Resolved alerts beyond this many are dropped, oldest first. */
const RESOLVED_KEPT = 1000;

/** A condition that holds now: what raises (or keeps) one active alert. */
export interface Condition {
  /** Names the condition: the same key while it holds is the same alert. */
  key: string;
  kind: AlertKind;
  severity: AlertSeverity;
  message: string;
  /** What a source needs to judge later readings (a rank drop's rank before the fall). */
  data?: unknown;
}

export interface StoredAlert {
  alert: Alert;
  key: string;
  data: unknown;
}

interface Row {
  id: number;
  key: string;
  kind: AlertKind;
  severity: AlertSeverity;
  message: string;
  data: string | null;
  raised_at: string;
  resolved_at: string | null;
  acknowledged_at: string | null;
  notified_at: string | null;
}

export class AlertStore {
  private readonly sql;

  constructor(db: Db) {
    this.sql = {
      insert: db.prepare(
        `INSERT INTO alerts (key, kind, severity, message, data, raised_at)
         VALUES (@key, @kind, @severity, @message, @data, @raisedAt)`,
      ),
      get: db.prepare('SELECT * FROM alerts WHERE id = ?'),
      active: db.prepare('SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY id DESC'),
      recent: db.prepare('SELECT * FROM alerts ORDER BY id DESC LIMIT ?'),
      resolve: db.prepare('UPDATE alerts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL'),
      acknowledge: db.prepare('UPDATE alerts SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL'),
      notified: db.prepare('UPDATE alerts SET notified_at = ? WHERE id = ?'),
      trim: db.prepare(
        `DELETE FROM alerts WHERE resolved_at IS NOT NULL AND id <= (
           SELECT id FROM alerts WHERE resolved_at IS NOT NULL ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      ),
      recall: db.prepare('SELECT value FROM alert_memory WHERE name = ?'),
      remember: db.prepare(
        'INSERT INTO alert_memory (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  active(): StoredAlert[] {
    return (this.sql.active.all() as Row[]).map(fromRow);
  }

  recent(limit: number): Alert[] {
    return (this.sql.recent.all(limit) as Row[]).map((row) => fromRow(row).alert);
  }

  get(id: string): Alert | null {
    const row = /^\d+$/.test(id) ? (this.sql.get.get(Number(id)) as Row | undefined) : undefined;
    return row ? fromRow(row).alert : null;
  }

  raise(condition: Condition, at: string): Alert {
    const { lastInsertRowid } = this.sql.insert.run({
      key: condition.key,
      kind: condition.kind,
      severity: condition.severity,
      message: condition.message,
      data: condition.data === undefined ? null : JSON.stringify(condition.data),
      raisedAt: at,
    });
    return this.get(String(lastInsertRowid))!;
  }

  resolve(id: string, at: string): void {
    this.sql.resolve.run(at, Number(id));
    this.sql.trim.run(RESOLVED_KEPT);
  }

  acknowledge(id: string, at: string): Alert | null {
    if (/^\d+$/.test(id)) this.sql.acknowledge.run(at, Number(id));
    return this.get(id);
  }

  markNotified(id: string, at: string): void {
    this.sql.notified.run(at, Number(id));
  }

  /** A small fact a source keeps across restarts (whether the miner was meant to be serving). */
  recall(name: string): string | null {
    return (this.sql.recall.get(name) as { value: string } | undefined)?.value ?? null;
  }

  remember(name: string, value: string): void {
    this.sql.remember.run(name, value);
  }
}

function fromRow(row: Row): StoredAlert {
  return {
    key: row.key,
    data: row.data === null ? null : (JSON.parse(row.data) as unknown),
    alert: {
      id: String(row.id),
      kind: row.kind,
      severity: row.severity,
      message: row.message,
      raisedAt: row.raised_at,
      state: row.resolved_at === null ? 'active' : 'resolved',
      resolvedAt: row.resolved_at,
      acknowledgedAt: row.acknowledged_at,
      notifiedAt: row.notified_at,
    },
  };
}
