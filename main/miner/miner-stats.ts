import { EMPTY_MINER_STATS, type MinerStats } from '../../shared/domain/miner.js';
import { percentile } from '../scoring/metrics.js';
import type { AxonOutcome } from './axon-server.js';

const LATENCY_WINDOW = 500;

/** Counts what the axon answered and how fast, for the Overview. */
export class MinerStatsTracker {
  private stats: MinerStats = { ...EMPTY_MINER_STATS, refusedBy: { ...EMPTY_MINER_STATS.refusedBy } };
  private readonly answeredAt: number[] = [];
  private readonly latencies: number[] = [];

  /** One request's outcome: answered, refused (by reason, a client that left included), or failed on our side. */
  record(outcome: AxonOutcome, now = Date.now()): void {
    this.stats.requests++;
    if (outcome.refusal) {
      this.stats.refused++;
      this.stats.refusedBy[outcome.refusal]++;
    } else if (outcome.status === 200) {
      this.stats.answered++;
      this.answeredAt.push(now);
      this.latencies.push(outcome.latencyMs);
      if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
    } else {
      this.stats.errors++;
    }
  }

  /** An answered request whose answer came from the cannot-judge policy, not the model. */
  recordUnjudged(): void {
    this.stats.unjudged++;
  }

  snapshot(now = Date.now()): MinerStats {
    while (this.answeredAt.length > 0 && this.answeredAt[0]! < now - 60_000) this.answeredAt.shift();
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const round = (value: number): number => Math.round(value * 100) / 100;
    return {
      ...this.stats,
      refusedBy: { ...this.stats.refusedBy },
      perMinute: this.answeredAt.length,
      latencyP50Ms: sorted.length > 0 ? round(percentile(sorted, 0.5)) : null,
      latencyP99Ms: sorted.length > 0 ? round(percentile(sorted, 0.99)) : null,
    };
  }
}
