import { describe, expect, it } from 'vitest';
import { yumaConsensus } from './yuma.js';

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

  it('gives nobody anything when no weights are set', () => {
    expect(yumaConsensus([[0, 0]], [1]).incentive).toEqual([0, 0]);
  });
});
