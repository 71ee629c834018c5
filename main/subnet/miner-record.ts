/**
 * What one validator remembers of one miner, and the reward it gives each answer, as natix's
 * `MinerPerformanceTracker` and `get_rewards` (validator 2.0.4) do it:
 *
 * - Every query leaves one slot in a 100-slot history, whatever came back: the raw value sent, or
 *   -1 when nothing usable did (timeout, error, non-200: the dendrite leaves the synapse's default).
 *   An explicit -1 is the same thing. Out-of-range answers and NaN are stored as they are.
 * - The metrics for a window take its last N slots (-1 included), then drop the exact -1 entries,
 *   so timeouts shrink the window rather than letting it look further back; the rest are rounded
 *   half to even (1.7 → class 2, wrong whatever the label; -0.6 → class -1, also kept).
 * - reward = (0.5·MCC over 100 + 0.5·accuracy over 10)³, and 0 for -1 or an answer outside [0, 1].
 */
import {
  ACCURACY_WINDOW,
  classAccuracy,
  MCC_WINDOW,
  multiclassMcc,
  roundHalfEven,
  validatorReward,
} from '../scoring/metrics.js';

/** The history's length (the tracker's `store_last_n_predictions`): the MCC window. */
const HISTORY = MCC_WINDOW;

/** What the tracker stores when a miner sent nothing usable. */
export const NO_ANSWER = -1;

export interface WindowMetrics {
  /** Answers counted: the window's slots that are not -1. */
  answers: number;
  accuracy: number;
  /** max(0, multiclass MCC); 0 unless labels and predictions each hold two classes or more. */
  mcc: number;
}

/**
 * The tracker's `get_metrics` over these slots (already cut to the window). A NaN or an infinity
 * among them makes sklearn refuse the arrays, and the tracker then reports zeros for the window.
 */
export function windowMetrics(predictions: readonly number[], labels: readonly (0 | 1)[]): WindowMetrics {
  const kept = predictions.flatMap((p, i) => (p === NO_ANSWER ? [] : [{ p, label: labels[i]! }]));
  const empty = { answers: kept.length, accuracy: 0, mcc: 0 };
  if (kept.length === 0 || kept.some(({ p }) => !Number.isFinite(p))) return empty;
  const rounded = kept.map(({ p }) => roundHalfEven(p));
  const truth = kept.map(({ label }) => label);
  const twoClasses = new Set(truth).size > 1 && new Set(rounded).size > 1;
  return {
    answers: kept.length,
    accuracy: classAccuracy(truth, rounded),
    mcc: twoClasses ? Math.max(0, multiclassMcc(truth, rounded)) : 0,
  };
}

export class MinerRecord {
  private readonly predictions: number[] = [];
  private readonly labels: (0 | 1)[] = [];

  /** Stores the answer, whatever it is, and returns its reward. */
  reward(prediction: number, label: 0 | 1): number {
    this.predictions.push(prediction);
    this.labels.push(label);
    if (this.predictions.length > HISTORY) {
      this.predictions.shift();
      this.labels.shift();
    }
    if (prediction === NO_ANSWER) return 0;
    // As the validators' range check: NaN fails both comparisons and passes; its windows are empty.
    if (prediction < 0 || prediction > 1) return 0;
    const over100 = windowMetrics(this.predictions, this.labels);
    const over10 = windowMetrics(this.predictions.slice(-ACCURACY_WINDOW), this.labels.slice(-ACCURACY_WINDOW));
    return validatorReward(over100.mcc, over10.accuracy);
  }

  /** The miner as this validator sees it: slots stored, how many are -1, MCC and accuracy over them. */
  get summary(): { answers: number; timeouts: number; mcc: number; accuracy: number } {
    const metrics = windowMetrics(this.predictions, this.labels);
    return {
      answers: this.predictions.length,
      timeouts: this.predictions.filter((p) => p === NO_ANSWER).length,
      mcc: metrics.mcc,
      accuracy: metrics.accuracy,
    };
  }
}
