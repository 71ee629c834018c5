/**
 * Our standing over time, one row per tempo (per metagraph block for the live chain, per tempo
 * for the local subnet), in the console's SQLite database.
 */
import type { EmissionReading } from '../../shared/domain/earnings.js';
import type { StandingPoint } from '../../shared/domain/metagraph.js';
import { Emitter } from '../base/emitter.js';
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

/**
 * What earnings are worked out from, per reading: our uid's emission as the chain reports it (α
 * per tempo: the metagraph's `emission` is alpha in rao for the last epoch, decoded to α by
 * dividing by 10⁹), the subnet's tempo (an epoch runs every tempo + 1 blocks), and the pool's
 * price (SubnetTAO / SubnetAlphaIn, TAO per α; null on the local subnet, which has no pool).
 * Rows from before this migration had only α per day, computed with a tempo of 360 on both
 * networks the console then knew (finney and the local subnet): α per tempo is recovered from it.
 */
export const EMISSION_READING_MIGRATION = `ALTER TABLE standing_history ADD COLUMN emission_per_tempo REAL;
   ALTER TABLE standing_history ADD COLUMN tempo INTEGER;
   ALTER TABLE standing_history ADD COLUMN alpha_price REAL;
   UPDATE standing_history SET tempo = 360, emission_per_tempo = emission_per_day * 361.0 / 7200;`;

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

interface ReadingRow {
  time: string;
  source: 'local' | 'chain';
  netuid: number;
  uid: number;
  emission_per_tempo: number;
  tempo: number;
  alpha_price: number | null;
}

export class MetagraphHistory {
  private readonly recorded = new Emitter<StandingPoint>();
  /** Fires after each reading is on disk. */
  readonly onDidRecord = this.recorded.event;

  constructor(private readonly db: Db) {}

  record(point: StandingPoint, reading: Pick<EmissionReading, 'emissionPerTempo' | 'tempo' | 'taoPerAlpha'>): void {
    this.db
      .prepare(
        `INSERT INTO standing_history (time, source, netuid, block, uid, rank, miners, incentive, emission_per_day,
           emission_per_tempo, tempo, alpha_price)
         VALUES (@time, @source, @netuid, @block, @uid, @rank, @miners, @incentive, @emissionPerDayAlpha,
           @emissionPerTempo, @tempo, @taoPerAlpha)`,
      )
      .run({ ...point, ...reading });
    this.recorded.fire(point);
  }

  /** Every reading on the network of the newest one (a rehearsal's and the chain's are kept apart), oldest first. */
  emissionReadings(): EmissionReading[] {
    const rows = this.db
      .prepare(
        `SELECT time, source, netuid, uid, emission_per_tempo, tempo, alpha_price FROM standing_history
         WHERE (source, netuid) = (SELECT source, netuid FROM standing_history ORDER BY id DESC LIMIT 1)
         ORDER BY id ASC`,
      )
      .all() as ReadingRow[];
    return rows.map((row) => ({
      time: row.time,
      source: row.source,
      netuid: row.netuid,
      uid: row.uid,
      emissionPerTempo: row.emission_per_tempo,
      tempo: row.tempo,
      taoPerAlpha: row.alpha_price,
    }));
  }

  dispose(): void {
    this.recorded.dispose();
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
