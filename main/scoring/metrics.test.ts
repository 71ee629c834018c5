import { describe, expect, it } from 'vitest';
import { accuracy, auc, confusion, expectedValidatorReward, mcc, validatorReward } from './metrics.js';

// A worked example, by hand:
//   labels 1 1 1 1 0 0 0 0 0 0
//   p      .9 .8 .4 .7 .2 .6 .1 .5 .3 .05   → predicted 1 1 0 1 0 1 0 0 0 0 (0.5 rounds to 0)
//   TP 3 (0,1,3), FN 1 (2), FP 1 (5), TN 5 → accuracy 8/10
//   MCC = (3·5 − 1·1) / √(4·4·6·6) = 14/24
//   AUC: pairs positive > negative: 6 + 6 + 4 + 6 = 22 of 24
//   reward = (0.5·14/24 + 0.5·0.8)³
const labels: (0 | 1)[] = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
const p = [0.9, 0.8, 0.4, 0.7, 0.2, 0.6, 0.1, 0.5, 0.3, 0.05];

describe('validator metrics on a hand-worked example', () => {
  it('confusion matrix, with 0.5 counted as "no roadwork"', () => {
    expect(confusion(p, labels)).toEqual({ tp: 3, fp: 1, tn: 5, fn: 1 });
  });

  it('accuracy, MCC and AUC', () => {
    const c = confusion(p, labels);
    expect(accuracy(c)).toBe(0.8);
    expect(mcc(c)).toBeCloseTo(14 / 24, 12);
    expect(auc(p, labels)).toBeCloseTo(22 / 24, 12);
  });

  it('the reward formula', () => {
    expect(validatorReward(14 / 24, 0.8)).toBeCloseTo((0.5 * (14 / 24) + 0.4) ** 3, 12);
    expect(validatorReward(-0.3, 1)).toBeCloseTo(0.125, 12);
  });
});

describe('the consequences the operator should see', () => {
  it('a miner that always answers one class has MCC 0 and earns at most 0.125', () => {
    const always = labels.map(() => 0.9);
    const c = confusion(always, labels);
    expect(mcc(c)).toBe(0);
    expect(validatorReward(mcc(c), accuracy(c))).toBeLessThanOrEqual(0.125);
    expect(expectedValidatorReward(0.5, 0)).toBeLessThanOrEqual(0.125);
  });

  it('AUC treats ties as half and is undefined for one class', () => {
    expect(auc([0.5, 0.5], [1, 0])).toBe(0.5);
    expect(auc([0.2, 0.9], [1, 1])).toBeNull();
  });

  it('expected reward matches an enumeration of every possible last-10 outcome', () => {
    const accuracyRate = 0.8;
    const mccValue = 14 / 24;
    let enumerated = 0;
    for (let outcome = 0; outcome < 1 << 10; outcome++) {
      let correct = 0;
      let probability = 1;
      for (let bit = 0; bit < 10; bit++) {
        const hit = (outcome >> bit) & 1;
        correct += hit;
        probability *= hit ? accuracyRate : 1 - accuracyRate;
      }
      enumerated += probability * (0.5 * mccValue + 0.5 * (correct / 10)) ** 3;
    }
    expect(expectedValidatorReward(accuracyRate, mccValue)).toBeCloseTo(enumerated, 12);
    expect(expectedValidatorReward(1, 1)).toBe(1);
  });
});
