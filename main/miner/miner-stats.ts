import { EMPTY_MINER_STATS, type MinerStats } from '../../shared/domain/miner.js';
import { percentile } from '../models/metrics.js';

const LATENCY_WINDOW = 500;

/** Counts what the axon answered and how fast, for the Overview. */
export class MinerStatsTracker {
  private stats: MinerStats = { ...EMPTY_MINER_STATS };
  private readonly answeredAt: number[] = [];
  private readonly latencies: number[] = [];

  record(status: number, latencyMs: number, now = Date.now()): void {
    this.stats.requests++;
    if (status === 200) {
      this.stats.answered++;
      this.answeredAt.push(now);
      this.latencies.push(latencyMs);
      if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
    } else if (status >= 500) {
      this.stats.errors++;
    } else {
      this.stats.refused++;
    }
  }

  snapshot(now = Date.now()): MinerStats {
    while (this.answeredAt.length > 0 && this.answeredAt[0]! < now - 60_000) this.answeredAt.shift();
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const round = (value: number): number => Math.round(value * 100) / 100;
    return {
      ...this.stats,
      perMinute: this.answeredAt.length,
      latencyP50Ms: sorted.length > 0 ? round(percentile(sorted, 0.5)) : null,
      latencyP99Ms: sorted.length > 0 ? round(percentile(sorted, 0.99)) : null,
    };
  }
}
