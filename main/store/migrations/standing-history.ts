/** Our standing over time, and the live subnet's incentives the local subnet is fitted to. */
import type { Migration } from '../database.js';

export const STANDING_HISTORY_MIGRATION: Migration = {
  name: 'standing-history',
  sql: `CREATE TABLE standing_history (
     id INTEGER PRIMARY KEY,
     time TEXT NOT NULL,
     source TEXT NOT NULL,
     netuid INTEGER NOT NULL,
     block INTEGER NOT NULL,
     uid INTEGER NOT NULL,
     rank INTEGER NOT NULL,
     miners INTEGER NOT NULL,
     incentive REAL NOT NULL,
     emission_per_day REAL NOT NULL
   );
   CREATE INDEX standing_history_time ON standing_history(time);`,
};

/** The live subnet's miner incentives as last read, so the local subnet's peers can be fitted to them. */
export const LIVE_INCENTIVES_MIGRATION: Migration = {
  name: 'live-incentives',
  sql: `CREATE TABLE live_incentives (
     netuid INTEGER PRIMARY KEY,
     time TEXT NOT NULL,
     incentives TEXT NOT NULL
   );`,
};

/**
 * The live subnet's consensus settings (kappa and the rest, as JSON) read with its incentives, so
 * the local subnet can run Yuma with the live kappa. Null on rows from before this step.
 */
export const LIVE_PARAMS_MIGRATION: Migration = {
  name: 'live-params',
  sql: `ALTER TABLE live_incentives ADD COLUMN params TEXT;`,
};

/**
 * What earnings are worked out from, per reading: our uid's emission as the chain reports it (α
 * per tempo: the metagraph's `emission` is alpha in rao for the last epoch, decoded to α by
 * dividing by 10⁹), the subnet's tempo (an epoch runs every tempo + 1 blocks), and the pool's
 * price (SubnetTAO / SubnetAlphaIn, TAO per α; null on the local subnet, which has no pool).
 * Rows from before this migration had only α per day, computed with a tempo of 360 on both
 * networks the console then knew (finney and the local subnet): α per tempo is recovered from it.
 */
export const EMISSION_READINGS_MIGRATION: Migration = {
  name: 'emission-readings',
  sql: `ALTER TABLE standing_history ADD COLUMN emission_per_tempo REAL;
   ALTER TABLE standing_history ADD COLUMN tempo INTEGER;
   ALTER TABLE standing_history ADD COLUMN alpha_price REAL;
   UPDATE standing_history SET tempo = 360, emission_per_tempo = emission_per_day * 361.0 / 7200;`,
};
