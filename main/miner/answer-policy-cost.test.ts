import { describe, expect, it } from 'vitest';
import { answerPolicyCost } from './answer-policy-cost.js';

describe('what an unjudged image costs, by policy, for a strong miner', () => {
  it('matches the figures worked by hand for accuracy 0.95 in a balanced stream', () => {
    const cost = answerPolicyCost(0.95);

    // Steady windows: 100 answers, 50 per class, 95 % right in each: tp = tn = 47.5, fp = fn = 2.5.
    // MCC = (47.5² − 2.5²) / (50·50) = 2250 / 2500 = 0.9; accuracy 0.95.
    // A typical answer earns (0.5·0.9 + 0.5·0.95)³ = 0.925³ = 0.791453125.
    expect(cost.rewardPerAnswer).toBeCloseTo(0.791453125, 12);

    // -1: that answer earns nothing, and the windows never see it: it costs 0.791453125.
    expect(cost.abstain).toBeCloseTo(0.791453125, 12);

    // 0.5 on a roadwork image (a false negative) beside 99 typical answers
    // (tp = tn = 47.025, fp = 2.475, fn = 2.475 + 1 = 3.475):
    //   MCC = (47.025² − 2.475·3.475) / √(49.5·50.5·49.5·50.5) = 2202.75 / 2499.75 = 89/101
    //   its 10 answers in the accuracy window: accuracy (9·0.95 + 0)/10 = 0.855,
    //     reward (0.5·89/101 + 0.4275)³ = 0.654185 each, 0.137269 below 0.791453
    //   its next 90 in the MCC window only: reward (0.5·89/101 + 0.475)³ = 0.767554, 0.023899 below
    //   lost: 10·0.137269 + 90·0.023899 = 1.372685 + 2.150928 ≈ 3.523612
    expect(cost.priorWhenWrong).toBeCloseTo(3.523612, 5);

    // 0.5 on a clear image (right; tn = 48.025): MCC = (47.025·48.025 − 2.475²) / 2499.75 = 91/101,
    //   accuracy (9·0.95 + 1)/10 = 0.955: reward (0.5·91/101 + 0.4775)³ = 0.799166 (0.007713 above),
    //   then (0.5·91/101 + 0.475)³ = 0.792725 (0.001271 above):
    //   lost: −(10·0.007713 + 90·0.001271) = −(0.077128 + 0.114427) = −0.191555, a small gain.
    expect(cost.priorWhenRight).toBeCloseTo(-0.191555, 5);

    // Either with equal chance: (3.523612 − 0.191555) / 2 = 1.666029, i.e. 2.1 answers' reward
    // against the 1 answer's reward that -1 costs.
    expect(cost.prior).toBeCloseTo(1.666029, 5);
    expect(cost.prior / cost.abstain).toBeCloseTo(2.105, 3);

    // 0.5 costs less than -1 only if fewer unjudged images show roadwork than
    // (0.791453 + 0.191555) / (3.523612 + 0.191555) = 0.264593.
    expect(cost.breakEvenRoadworkChance).toBeCloseTo(0.264593, 5);
  });

  it('holds across strong miners: -1 costs less than 0.5 whenever unjudged images are half roadwork', () => {
    for (const accuracy of [0.85, 0.9, 0.95, 0.98, 0.995]) {
      const cost = answerPolicyCost(accuracy);
      expect(cost.abstain, `accuracy ${accuracy}`).toBeLessThan(cost.prior);
      expect(cost.breakEvenRoadworkChance, `accuracy ${accuracy}`).toBeLessThan(0.5);
    }
    // Only when roadwork is rare among them does the guess pay.
    const rare = answerPolicyCost(0.95, 0.1);
    expect(rare.prior).toBeLessThan(rare.abstain);
  });
});
