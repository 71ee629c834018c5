/**
 * Our standing over time, one row per tempo (per metagraph block for the live chain, per tempo
 * for the local subnet), in the console's SQLite database.
 */
import type { EmissionReading } from '../../shared/domain/earnings.js';
import { SubnetParamsSchema, type StandingPoint, type SubnetParams } from '../../shared/domain/metagraph.js';
import { Emitter } from '../base/emitter.js';
import type { Db } from '../store/database.js';

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

  /** The live subnet's miner incentives and consensus settings, replacing the last reading. */
  recordLiveIncentives(netuid: number, incentives: readonly number[], params: SubnetParams | null = null): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO live_incentives (netuid, time, incentives, params) VALUES (?, ?, ?, ?)`)
      .run(netuid, new Date().toISOString(), JSON.stringify(incentives), params ? JSON.stringify(params) : null);
  }

  /** The live subnet's consensus settings as last read, or null when they never were. */
  liveParams(netuid: number): SubnetParams | null {
    const row = this.db.prepare(`SELECT params FROM live_incentives WHERE netuid = ?`).get(netuid) as
      { params: string | null } | undefined;
    if (!row?.params) return null;
    const parsed = SubnetParamsSchema.safeParse(JSON.parse(row.params));
    return parsed.success ? parsed.data : null;
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
