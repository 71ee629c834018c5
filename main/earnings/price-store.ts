/** The TAO/USD prices the operator imported, one per UTC day, in the console's database. */
import type { PriceImport } from '../../shared/domain/earnings.js';
import type { Db } from '../store/database.js';
import type { DailyPrice } from './price-csv.js';

export class PriceStore {
  constructor(private readonly db: Db) {}

  /** Adds the prices in one transaction; a date already priced takes the new price. */
  save(prices: readonly DailyPrice[]): PriceImport {
    const insert = this.db.prepare(`INSERT OR REPLACE INTO tao_usd_prices (date, usd) VALUES (@date, @usd)`);
    this.db.transaction(() => {
      for (const price of prices) insert.run(price);
    })();
    return { imported: prices.length, first: prices.at(0)?.date ?? null, last: prices.at(-1)?.date ?? null };
  }

  all(): Map<string, number> {
    const rows = this.db.prepare(`SELECT date, usd FROM tao_usd_prices`).all() as DailyPrice[];
    return new Map(rows.map((row) => [row.date, row.usd]));
  }
}
