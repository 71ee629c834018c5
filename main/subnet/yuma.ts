/**
 * Yuma consensus as the local subnet runs it: each miner's consensus weight is the stake-weighted
 * κ-quantile of what validators give it (the median at the default κ ≈ ½); weights above it are clipped to it, so one validator cannot
 * lift a miner alone; a miner's incentive is its share of the stake-weighted clipped weights.
 * (Bonds and dividends to validators follow stake here rather than Yuma's bond market.)
 */

export interface ConsensusResult {
  /** Per miner column: the consensus weight (the stake-weighted κ-quantile of its weights). */
  consensus: number[];
  /** Per miner column: its share of incentive; sums to 1 when anyone earned anything. */
  incentive: number[];
}

/**
 * Subtensor's default kappa (`InitialKappa`): the u16 32767 of 65535, a hair under one half
 * (0.4999924), read as a fraction the way the epoch reads it. A subnet may set its own.
 */
export const KAPPA = 32_767 / 65_535;

/**
 * `weights[v][m]`: validator v's normalised weight for miner m; `stakes[v]`: its stake; `kappa`:
 * the share of stake that must give a miner at least its consensus weight (the chain's kappa).
 */
export function yumaConsensus(
  weights: readonly (readonly number[])[],
  stakes: readonly number[],
  kappa: number = KAPPA,
): ConsensusResult {
  const miners = weights[0]?.length ?? 0;
  const totalStake = stakes.reduce((sum, stake) => sum + stake, 0);
  const share = stakes.map((stake) => (totalStake > 0 ? stake / totalStake : 0));
  const consensus: number[] = [];
  const ranks: number[] = [];
  for (let m = 0; m < miners; m++) {
    const column = weights.map((row, v) => ({ weight: row[m] ?? 0, stake: share[v]! }));
    const c = stakeWeightedQuantile(column, kappa);
    consensus.push(c);
    ranks.push(column.reduce((sum, { weight, stake }) => sum + stake * Math.min(weight, c), 0));
  }
  const total = ranks.reduce((sum, rank) => sum + rank, 0);
  return { consensus, incentive: ranks.map((rank) => (total > 0 ? rank / total : 0)) };
}

/**
 * The largest weight that validators holding at least `kappa` of the stake give or exceed: the
 * chain's weighted median with minority 1 − κ (the stake strictly below it is at most 1 − κ).
 */
function stakeWeightedQuantile(column: { weight: number; stake: number }[], kappa: number): number {
  const sorted = [...column].sort((a, b) => b.weight - a.weight);
  let covered = 0;
  for (const { weight, stake } of sorted) {
    covered += stake;
    if (covered >= kappa - 1e-12) return weight;
  }
  return 0;
}
