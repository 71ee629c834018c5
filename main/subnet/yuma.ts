/**
 * Yuma consensus as the local subnet runs it: each miner's consensus weight is the stake-weighted
 * median of what validators give it; weights above it are clipped to it, so one validator cannot
 * lift a miner alone; a miner's incentive is its share of the stake-weighted clipped weights.
 * (Bonds and dividends to validators follow stake here rather than Yuma's bond market.)
 */

export interface ConsensusResult {
  /** Per miner column: the consensus weight (κ = 0.5). */
  consensus: number[];
  /** Per miner column: its share of incentive; sums to 1 when anyone earned anything. */
  incentive: number[];
}

export const KAPPA = 0.5;

/**
 * `weights[v][m]`: validator v's normalised weight for miner m; `stakes[v]`: its stake.
 */
export function yumaConsensus(weights: readonly (readonly number[])[], stakes: readonly number[]): ConsensusResult {
  const miners = weights[0]?.length ?? 0;
  const totalStake = stakes.reduce((sum, stake) => sum + stake, 0);
  const share = stakes.map((stake) => (totalStake > 0 ? stake / totalStake : 0));
  const consensus: number[] = [];
  const ranks: number[] = [];
  for (let m = 0; m < miners; m++) {
    const column = weights.map((row, v) => ({ weight: row[m] ?? 0, stake: share[v]! }));
    const c = stakeWeightedQuantile(column, KAPPA);
    consensus.push(c);
    ranks.push(column.reduce((sum, { weight, stake }) => sum + stake * Math.min(weight, c), 0));
  }
  const total = ranks.reduce((sum, rank) => sum + rank, 0);
  return { consensus, incentive: ranks.map((rank) => (total > 0 ? rank / total : 0)) };
}

/** The largest weight that validators holding at least `kappa` of the stake give or exceed. */
function stakeWeightedQuantile(column: { weight: number; stake: number }[], kappa: number): number {
  const sorted = [...column].sort((a, b) => b.weight - a.weight);
  let covered = 0;
  for (const { weight, stake } of sorted) {
    covered += stake;
    if (covered >= kappa - 1e-12) return weight;
  }
  return 0;
}
