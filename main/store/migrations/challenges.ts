/** The challenge log: one row per request the axon answered, with each stage's output. */
import type { Migration } from '../database.js';

export const CHALLENGES_MIGRATION: Migration = {
  name: 'challenges',
  sql: `CREATE TABLE challenges (
     id INTEGER PRIMARY KEY,
     time TEXT NOT NULL,
     hotkey TEXT NOT NULL,
     uid INTEGER,
     status INTEGER NOT NULL,
     message TEXT NOT NULL,
     latency_ms REAL NOT NULL,
     prediction REAL,
     first_stage REAL,
     second_stage REAL,
     testnet_label INTEGER,
     image_hash TEXT,
     hard_case INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX challenges_time ON challenges(time);
   CREATE INDEX challenges_hotkey ON challenges(hotkey);`,
};
