/**
 * What one validator remembers of one miner, and the reward it gives each answer: StreetVision's
 * (0.5·max(0, MCC over the last 100) + 0.5·accuracy over the last 10)³, with -1 and anything
 * outside [0, 1] a zero that is not remembered.
 */
import { accuracy, confusion, mcc, validatorReward } from '../scoring/metrics.js';

const MCC_WINDOW = 100;
const ACCURACY_WINDOW = 10;

export class MinerRecord {
  private readonly predictions: number[] = [];
  private readonly labels: (0 | 1)[] = [];

  /** Remembers the answer (when it is one) and returns its reward. */
  reward(prediction: number, label: 0 | 1): number {
    if (!Number.isFinite(prediction) || prediction < 0 || prediction > 1) return 0;
    this.predictions.push(prediction);
    this.labels.push(label);
    if (this.predictions.length > MCC_WINDOW) {
      this.predictions.shift();
      this.labels.shift();
    }
    const mcc100 = mcc(confusion(this.predictions, this.labels));
    const recent = confusion(this.predictions.slice(-ACCURACY_WINDOW), this.labels.slice(-ACCURACY_WINDOW));
    return validatorReward(mcc100, accuracy(recent));
  }

  /** The miner as this validator has seen it: answers remembered, MCC and accuracy over them. */
  get summary(): { answers: number; mcc: number; accuracy: number } {
    const all = confusion(this.predictions, this.labels);
    return { answers: this.predictions.length, mcc: mcc(all), accuracy: accuracy(all) };
  }
}
