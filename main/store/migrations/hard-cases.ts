/** The hard cases and their labelling events (undo and redo replay them). */
import type { Migration } from '../database.js';

export const HARD_CASES_MIGRATION: Migration = {
  name: 'hard-cases',
  sql: `CREATE TABLE hard_cases (
     hash TEXT PRIMARY KEY,
     source TEXT NOT NULL,
     first_seen TEXT NOT NULL,
     last_seen TEXT NOT NULL,
     times_seen INTEGER NOT NULL,
     validator TEXT,
     prediction REAL,
     first_stage REAL,
     second_stage REAL,
     confidence REAL,
     testnet_label INTEGER,
     label TEXT NOT NULL DEFAULT 'unlabelled',
     labelled_by TEXT,
     labelled_at TEXT
   );
   CREATE INDEX hard_cases_label ON hard_cases(label);
   CREATE INDEX hard_cases_confidence ON hard_cases(confidence);
   CREATE INDEX hard_cases_last_seen ON hard_cases(last_seen);
   CREATE TABLE label_events (
     id INTEGER PRIMARY KEY,
     time TEXT NOT NULL,
     by TEXT NOT NULL,
     label TEXT NOT NULL,
     before TEXT NOT NULL,
     undone INTEGER NOT NULL DEFAULT 0
   );`,
};

/**
 * The gallery's columns: each case's embedding (little-endian float32s) with the model that made
 * it, and how far the two stages disagreed (|first − second|, when both answered). The two
 * indexes are the gallery's orders (`ORDER_BY`), so ranking every case reads an index in order.
 */
export const HARD_CASE_EMBEDDINGS_MIGRATION: Migration = {
  name: 'hard-case-embeddings',
  sql: `ALTER TABLE hard_cases ADD COLUMN embedding BLOB;
   ALTER TABLE hard_cases ADD COLUMN embedding_model TEXT;
   ALTER TABLE hard_cases ADD COLUMN disagreement REAL;
   UPDATE hard_cases SET disagreement = ABS(first_stage - second_stage)
     WHERE first_stage IS NOT NULL AND second_stage IS NOT NULL;
   CREATE INDEX hard_cases_disagreement ON hard_cases(disagreement IS NULL, disagreement DESC, last_seen DESC);
   CREATE INDEX hard_cases_uncertainty ON hard_cases(confidence IS NULL, confidence, last_seen DESC);`,
};
