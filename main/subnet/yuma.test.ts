import { describe, expect, it } from 'vitest';
import { KAPPA, yumaConsensus } from './yuma.js';

describe('Yuma consensus on the local subnet', () => {
  it('shares incentive by the stake-weighted weights when validators agree', () => {
    const { incentive } = yumaConsensus(
      [
        [0.6, 0.3, 0.1],
        [0.6, 0.3, 0.1],
      ],
      [100, 300],
    );
    expect(incentive[0]).toBeCloseTo(0.6, 12);
    expect(incentive[1]).toBeCloseTo(0.3, 12);
    expect(incentive[2]).toBeCloseTo(0.1, 12);
  });

  it('clips a minority validator that favours one miner to what the majority gives it', () => {
    // The small validator (20% of stake) puts everything on miner 2; the others give it nothing.
    const { consensus, incentive } = yumaConsensus(
      [
        [0.5, 0.5, 0],
        [0.5, 0.5, 0],
        [0, 0, 1],
      ],
      [40, 40, 20],
    );
    expect(consensus[2]).toBe(0);
    expect(incentive[2]).toBe(0);
    expect(incentive[0]).toBeCloseTo(0.5, 12);
  });

  it('follows kappa: the share of stake that must give a miner at least its consensus weight', () => {
    // Three validators with 50 %, 30 % and 20 % of the stake, two miners A and B.
    const weights = [
      [0.6, 0.4],
      [0.4, 0.6],
      [0.2, 0.8],
    ];
    const stakes = [50, 30, 20];
    // κ = 32767/65535 (0.4999924): A's weights from the top, 0.6 (50 %) already cover κ → c_A = 0.6;
    // B's: 0.8 (20 %), then 0.6 (50 % in all) → c_B = 0.6.
    // ranks: A = 0.5·0.6 + 0.3·0.4 + 0.2·0.2 = 0.46; B = 0.5·0.4 + 0.3·0.6 + 0.2·min(0.8, 0.6) = 0.50;
    // incentive = 0.46/0.96 and 0.50/0.96.
    const half = yumaConsensus(weights, stakes);
    expect(half.consensus[0]).toBeCloseTo(0.6, 12);
    expect(half.consensus[1]).toBeCloseTo(0.6, 12);
    expect(half.incentive[0]).toBeCloseTo(0.46 / 0.96, 12);
    expect(half.incentive[1]).toBeCloseTo(0.5 / 0.96, 12);
    // κ = 39321/65535 = 0.6: 50 % no longer covers it; down to 0.4 (80 %) for A, and for B 0.6
    // covers 50 %, so down to 0.4 (100 %). ranks: A = 0.5·0.4 + 0.3·0.4 + 0.2·0.2 = 0.36;
    // B = 0.5·0.4 + 0.3·0.4 + 0.2·0.4 = 0.40; incentive = 0.36/0.76 = 9/19 and 0.40/0.76 = 10/19.
    const sixty = yumaConsensus(weights, stakes, 39_321 / 65_535);
    expect(sixty.consensus[0]).toBeCloseTo(0.4, 12);
    expect(sixty.consensus[1]).toBeCloseTo(0.4, 12);
    expect(sixty.incentive[0]).toBeCloseTo(9 / 19, 12);
    expect(sixty.incentive[1]).toBeCloseTo(10 / 19, 12);
  });

  it("defaults to subtensor's InitialKappa, a hair under one half, not 0.5", () => {
    expect(KAPPA).toBe(32_767 / 65_535);
    // A validator holding 0.499995 of the stake covers 0.4999924 alone (it would not cover 0.5):
    // its 1.0 becomes the consensus, where κ = 0.5 would fall to the other's 0.
    const weights = [[1], [0]];
    const stakes = [499_995, 500_005];
    expect(yumaConsensus(weights, stakes).consensus[0]).toBe(1);
    expect(yumaConsensus(weights, stakes, 0.5).consensus[0]).toBe(0);
  });

  it('gives nobody anything when no weights are set', () => {
    expect(yumaConsensus([[0, 0]], [1]).incentive).toEqual([0, 0]);
  });
});
