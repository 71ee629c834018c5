/**
 * The console database's schema, as the one ordered list of steps every database is opened with.
 * A database counts the steps it has applied (user_version), so this order is the order on every
 * disk already: a new step goes at the end, and no step is ever moved, removed or edited.
 */
import type { Migration } from './database.js';
import { ALERTS_MIGRATION } from './migrations/alerts.js';
import { CHALLENGES_MIGRATION } from './migrations/challenges.js';
import { HARD_CASE_EMBEDDINGS_MIGRATION, HARD_CASES_MIGRATION } from './migrations/hard-cases.js';
import { MODEL_REGISTRY_MIGRATION } from './migrations/model-registry.js';
import {
  EMISSION_READINGS_MIGRATION,
  LIVE_INCENTIVES_MIGRATION,
  LIVE_PARAMS_MIGRATION,
  STANDING_HISTORY_MIGRATION,
} from './migrations/standing-history.js';
import { TAO_USD_PRICES_MIGRATION } from './migrations/tao-usd-prices.js';
import { TRAINING_RUNS_MIGRATION } from './migrations/training-runs.js';

export const MIGRATIONS: readonly Migration[] = [
  CHALLENGES_MIGRATION,
  STANDING_HISTORY_MIGRATION,
  LIVE_INCENTIVES_MIGRATION,
  HARD_CASES_MIGRATION,
  HARD_CASE_EMBEDDINGS_MIGRATION,
  MODEL_REGISTRY_MIGRATION,
  TRAINING_RUNS_MIGRATION,
  ALERTS_MIGRATION,
  EMISSION_READINGS_MIGRATION,
  TAO_USD_PRICES_MIGRATION,
  LIVE_PARAMS_MIGRATION,
];

/** The steps before the named one: the schema of a database from before that step (upgrade tests). */
export function migrationsBefore(name: string): readonly Migration[] {
  const index = MIGRATIONS.findIndex((migration) => migration.name === name);
  if (index < 0) throw new Error(`No migration is named ${name}.`);
  return MIGRATIONS.slice(0, index);
}
