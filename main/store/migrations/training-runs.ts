/** Training runs, their metrics points and their bounded logs. */
import type { Migration } from '../database.js';

export const TRAINING_RUNS_MIGRATION: Migration = {
  name: 'training-runs',
  sql: `CREATE TABLE training_runs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     host_id TEXT NOT NULL,
     host_label TEXT NOT NULL,
     state TEXT NOT NULL,
     detail TEXT NOT NULL,
     reason TEXT,
     scheduled INTEGER NOT NULL,
     params TEXT NOT NULL,
     created_at TEXT NOT NULL,
     started_at TEXT,
     ended_at TEXT,
     remote_dir TEXT NOT NULL,
     dataset TEXT,
     progress TEXT,
     gpu TEXT,
     model_id TEXT,
     imported INTEGER,
     metrics_lines INTEGER NOT NULL DEFAULT 0,
     log_lines INTEGER NOT NULL DEFAULT 0,
     stop_reason TEXT
   );
   CREATE INDEX training_runs_state ON training_runs(state);
   CREATE TABLE training_points (
     run_id TEXT NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
     line INTEGER NOT NULL,
     kind TEXT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (run_id, line)
   );
   CREATE TABLE training_log (
     id INTEGER PRIMARY KEY,
     run_id TEXT NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
     source TEXT NOT NULL,
     line TEXT NOT NULL
   );
   CREATE INDEX training_log_run ON training_log(run_id, id);`,
};
