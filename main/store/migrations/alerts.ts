/** Alerts raised, resolved, acknowledged and notified, and what the alert rules remember. */
import type { Migration } from '../database.js';

export const ALERTS_MIGRATION: Migration = {
  name: 'alerts',
  sql: `CREATE TABLE alerts (
     id INTEGER PRIMARY KEY,
     key TEXT NOT NULL,
     kind TEXT NOT NULL,
     severity TEXT NOT NULL,
     message TEXT NOT NULL,
     data TEXT,
     raised_at TEXT NOT NULL,
     resolved_at TEXT,
     acknowledged_at TEXT,
     notified_at TEXT
   );
   CREATE UNIQUE INDEX alerts_active_key ON alerts(key) WHERE resolved_at IS NULL;
   CREATE TABLE alert_memory (name TEXT PRIMARY KEY, value TEXT NOT NULL);`,
};
