/**
 * Our standing over time, one row per tempo (per metagraph block for the live chain, per tempo
 * for the local subnet), in the console's SQLite database.
 */
import type { StandingPoint } from '../../shared/domain/metagraph.js';
import type { Db } from '../store/database.js';

export const METAGRAPH_HISTORY_MIGRATION = `CREATE TABLE standing_history (
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
   CREATE INDEX standing_history_time ON standing_history(time);`;

/** The live subnet's miner incentives as last read, so the local subnet's peers can be fitted to them. */
export const LIVE_INCENTIVES_MIGRATION = `CREATE TABLE live_incentives (
     netuid INTEGER PRIMARY KEY,
     time TEXT NOT NULL,
     incentives TEXT NOT NULL
   );`;

interface Row {
  time: string;
  source: 'local' | 'chain';
  netuid: number;
  block: number;
  uid: number;
  rank: number;
  miners: number;
  incentive: number;
  emission_per_day: number;
}

export class MetagraphHistory {
  constructor(private readonly db: Db) {}

  record(point: StandingPoint): void {
    this.db
      .prepare(
        `INSERT INTO standing_history (time, source, netuid, block, uid, rank, miners, incentive, emission_per_day)
         VALUES (@time, @source, @netuid, @block, @uid, @rank, @miners, @incentive, @emissionPerDayAlpha)`,
      )
      .run(point);
  }

  recordLiveIncentives(netuid: number, incentives: readonly number[]): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO live_incentives (netuid, time, incentives) VALUES (?, ?, ?)`)
      .run(netuid, new Date().toISOString(), JSON.stringify(incentives));
  }

  /** The miners' incentives on the live subnet as last read, or null when it never was. */
  liveIncentives(netuid: number): number[] | null {
    const row = this.db.prepare(`SELECT incentives FROM live_incentives WHERE netuid = ?`).get(netuid) as
      { incentives: string } | undefined;
    if (!row) return null;
    const parsed: unknown = JSON.parse(row.incentives);
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'number') ? parsed : null;
  }

  /** The last `limit` points, oldest first. */
  recent(limit: number): StandingPoint[] {
    const rows = this.db
      .prepare(`SELECT * FROM (SELECT * FROM standing_history ORDER BY id DESC LIMIT ?) ORDER BY id ASC`)
      .all(limit) as Row[];
    return rows.map((row) => ({
      time: row.time,
      source: row.source,
      netuid: row.netuid,
      block: row.block,
      uid: row.uid,
      rank: row.rank,
      miners: row.miners,
      incentive: row.incentive,
      emissionPerDayAlpha: row.emission_per_day,
    }));
  }
}
