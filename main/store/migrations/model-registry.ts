/** The model registry: models, their evaluations and the deployment history. */
import type { Migration } from '../database.js';

export const MODEL_REGISTRY_MIGRATION: Migration = {
  name: 'model-registry',
  sql: `CREATE TABLE models (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     version TEXT NOT NULL,
     architecture TEXT NOT NULL,
     dir TEXT NOT NULL,
     content_hash TEXT NOT NULL UNIQUE,
     data_hash TEXT NOT NULL,
     val_accuracy REAL,
     val_mcc REAL,
     val_loss REAL,
     parent_id TEXT REFERENCES models(id),
     origin TEXT NOT NULL,
     created_at TEXT NOT NULL,
     registered_at TEXT NOT NULL,
     published_at TEXT
   );
   CREATE TABLE model_evaluations (
     id INTEGER PRIMARY KEY,
     model_id TEXT NOT NULL REFERENCES models(id),
     at TEXT NOT NULL,
     report TEXT NOT NULL
   );
   CREATE INDEX model_evaluations_model ON model_evaluations(model_id, id);
   CREATE TABLE model_deployments (
     seq INTEGER PRIMARY KEY,
     model_id TEXT NOT NULL REFERENCES models(id),
     kind TEXT NOT NULL,
     at TEXT NOT NULL,
     served_now INTEGER NOT NULL
   );`,
};
