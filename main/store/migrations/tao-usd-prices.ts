/** The TAO/USD prices the operator imported, one per UTC day. */
import type { Migration } from '../database.js';

export const TAO_USD_PRICES_MIGRATION: Migration = {
  name: 'tao-usd-prices',
  sql: `CREATE TABLE tao_usd_prices (
     date TEXT PRIMARY KEY,
     usd REAL NOT NULL
   );`,
};
