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

/**
 * NumPy's `np.round` to a whole number: halves go to the even neighbour (0.5 → 0, 1.5 → 2,
 * 2.5 → 2, -0.5 → -0), everything else to the nearest. The validators round every stored answer
 * this way before counting it, so an answer out of [0, 1] becomes a class of its own (1.7 → 2).
 */
export function roundHalfEven(value: number): number {
  if (!Number.isFinite(value)) return value;
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction === 0.5) return floor % 2 === 0 ? floor : floor + 1;
  return fraction < 0.5 ? floor : floor + 1;
}

/** The share of predictions equal to their label (sklearn's `accuracy_score`); 0 when there are none. */
export function classAccuracy(labels: readonly number[], predictions: readonly number[]): number {
  if (labels.length === 0) return 0;
  return labels.filter((label, i) => label === predictions[i]).length / labels.length;
}

/**
 * Matthews correlation over any number of classes, as sklearn's `matthews_corrcoef` computes it:
 * with s samples, c of them right, t_k the samples labelled k and p_k those predicted k,
 * MCC = (c·s − Σ t_k·p_k) / √((s² − Σ p_k²)(s² − Σ t_k²)), and 0 when the root is 0.
 * On two classes it is the usual (tp·tn − fp·fn)/√(…); a third class (an answer of 1.7, rounded
 * to 2) is counted wrong for every label and lowers it.
 */
export function multiclassMcc(labels: readonly number[], predictions: readonly number[]): number {
  const samples = labels.length;
  const labelled = new Map<number, number>();
  const predicted = new Map<number, number>();
  let correct = 0;
  labels.forEach((label, i) => {
    const prediction = predictions[i]!;
    // Map keys compare as SameValueZero: -0 (from rounding -0.4) and 0 are one class, as in NumPy.
    labelled.set(label, (labelled.get(label) ?? 0) + 1);
    predicted.set(prediction, (predicted.get(prediction) ?? 0) + 1);
    if (label === prediction) correct++;
  });
  let crossed = 0;
  for (const [k, t] of labelled) crossed += t * (predicted.get(k) ?? 0);
  const squares = (counts: Map<number, number>): number => [...counts.values()].reduce((sum, n) => sum + n * n, 0);
  const predictedSpread = samples * samples - squares(predicted);
  const labelledSpread = samples * samples - squares(labelled);
  if (predictedSpread * labelledSpread === 0) return 0;
  return (correct * samples - crossed) / Math.sqrt(predictedSpread * labelledSpread);
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

/** The validators' windows (natix's tracker): MCC over the last 100 answers, accuracy over the last 10. */
export const MCC_WINDOW = 100;
export const ACCURACY_WINDOW = 10;

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
  for (let correct = 0; correct <= ACCURACY_WINDOW; correct++) {
    expected +=
      binomial(ACCURACY_WINDOW, correct) *
      accuracyRate ** correct *
      (1 - accuracyRate) ** (ACCURACY_WINDOW - correct) *
      validatorReward(mccValue, correct / ACCURACY_WINDOW);
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
