/**
 * The numbers a validator computes about a miner, and the usual ones about a classifier.
 * A prediction counts as "roadwork" only above 0.5: validators round half to even, so 0.5 is 0.
 */

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export function predictedClass(probability: number): 0 | 1 {
  return probability > 0.5 ? 1 : 0;
}

export function confusion(probabilities: readonly number[], labels: readonly (0 | 1)[]): Confusion {
  const result: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  probabilities.forEach((p, i) => {
    const predicted = predictedClass(p);
    const actual = labels[i];
    if (predicted === 1 && actual === 1) result.tp++;
    else if (predicted === 1) result.fp++;
    else if (actual === 1) result.fn++;
    else result.tn++;
  });
  return result;
}

export function accuracy(c: Confusion): number {
  const total = c.tp + c.fp + c.tn + c.fn;
  return total === 0 ? 0 : (c.tp + c.tn) / total;
}

/** Matthews correlation; 0 while labels or predictions hold a single class, as the validators count it. */
export function mcc(c: Confusion): number {
  const denominator = Math.sqrt((c.tp + c.fp) * (c.tp + c.fn) * (c.tn + c.fp) * (c.tn + c.fn));
  return denominator === 0 ? 0 : (c.tp * c.tn - c.fp * c.fn) / denominator;
}

/** Area under the ROC curve: the chance a roadwork image scores above a clear one (ties count half). */
export function auc(probabilities: readonly number[], labels: readonly (0 | 1)[]): number | null {
  const ranked = probabilities.map((p, i) => ({ p, label: labels[i] })).sort((a, b) => a.p - b.p);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < ranked.length;) {
    let j = i;
    while (j < ranked.length && ranked[j]!.p === ranked[i]!.p) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (ranked[k]!.label === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negatives = ranked.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A validator's reward for one answer: (0.5·max(0, MCC over the last 100) + 0.5·accuracy over the last 10)³. */
export function validatorReward(mcc100: number, accuracy10: number): number {
  return (0.5 * Math.max(0, mcc100) + 0.5 * accuracy10) ** 3;
}

/**
 * The reward to expect per challenge from a miner with this accuracy and MCC: the MCC over 100
 * answers is close to the miner's own, but the last 10 answers vary, so the accuracy term is
 * averaged over the binomial spread of correct answers in 10. Cubing makes that spread cost.
 */
export function expectedValidatorReward(accuracyRate: number, mccValue: number): number {
  let expected = 0;
  for (let correct = 0; correct <= 10; correct++) {
    expected +=
      binomial(10, correct) *
      accuracyRate ** correct *
      (1 - accuracyRate) ** (10 - correct) *
      validatorReward(mccValue, correct / 10);
  }
  return expected;
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}
