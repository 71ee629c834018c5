/**
 * What answering an image the model cannot judge costs, by policy, under the validators' tracker
 * (natix `miner_performance_tracker.py`, mirrored in `subnet/miner-record.ts`): reward =
 * (0.5·max(0, MCC over the last 100) + 0.5·accuracy over the last 10)³, a -1 kept in its slot but
 * dropped from both metrics.
 *
 * - abstain (-1): that challenge earns nothing. The -1 is stored and takes a slot in both
 *   windows, which then hold one valid answer fewer: at their expected contents the same accuracy
 *   and MCC, so nothing after it changes. The cost is one typical answer's reward.
 * - prior (0.5, which rounds to "no roadwork"): that challenge is scored, and the answer stays in
 *   the accuracy window for 10 answers (its own and the next 9) and in the MCC window for 100.
 *   Right when the image shows no roadwork, wrong (a false negative) when it does.
 *
 * The miner's windows are taken at their expected contents ("mean field"): a balanced stream, as
 * validators send, with the miner right on a share `accuracy` of each class. The cost of an answer
 * is the reward lost over the answers whose windows hold it, against a typical answer in its place.
 */
import { ACCURACY_WINDOW, MCC_WINDOW, mcc, validatorReward, type Confusion } from '../scoring/metrics.js';

export interface AnswerPolicyCost {
  /** A typical answer's reward in the miner's steady state. */
  rewardPerAnswer: number;
  /** Reward lost by answering -1. */
  abstain: number;
  /** Reward lost by answering 0.5, expected over the image's label. */
  prior: number;
  /** … when the image shows roadwork (0.5 is then a false negative), and when it does not. */
  priorWhenWrong: number;
  priorWhenRight: number;
  /** The chance of roadwork in unjudged images below which 0.5 costs less than -1. */
  breakEvenRoadworkChance: number;
}

/**
 * `accuracy`: the miner's share of right answers on each class. `roadworkChance`: how likely an
 * image the model cannot judge shows roadwork (0.5: a failure to decode says nothing of the label).
 */
export function answerPolicyCost(accuracy: number, roadworkChance = 0.5): AnswerPolicyCost {
  const steady = validatorReward(mcc(typicalAnswers(MCC_WINDOW, accuracy)), accuracy);
  const lossOfPrior = (right: boolean): number => {
    // The 0.5 answer and the 99 typical answers beside it in the MCC window.
    const window = typicalAnswers(MCC_WINDOW - 1, accuracy);
    if (right) window.tn += 1;
    else window.fn += 1;
    const mccWithIt = mcc(window);
    const accuracyWithIt = ((ACCURACY_WINDOW - 1) * accuracy + (right ? 1 : 0)) / ACCURACY_WINDOW;
    const whileInBoth = validatorReward(mccWithIt, accuracyWithIt);
    const whileInMccOnly = validatorReward(mccWithIt, accuracy);
    return ACCURACY_WINDOW * (steady - whileInBoth) + (MCC_WINDOW - ACCURACY_WINDOW) * (steady - whileInMccOnly);
  };
  const priorWhenWrong = lossOfPrior(false);
  const priorWhenRight = lossOfPrior(true);
  return {
    rewardPerAnswer: steady,
    abstain: steady,
    prior: roadworkChance * priorWhenWrong + (1 - roadworkChance) * priorWhenRight,
    priorWhenWrong,
    priorWhenRight,
    // Linear in the chance: q·wrong + (1 − q)·right = steady.
    breakEvenRoadworkChance: (steady - priorWhenRight) / (priorWhenWrong - priorWhenRight),
  };
}

/** The expected confusion of `count` answers from a balanced stream, right on a share `accuracy` of each class. */
function typicalAnswers(count: number, accuracy: number): Confusion {
  const perClass = count / 2;
  return {
    tp: perClass * accuracy,
    fn: perClass * (1 - accuracy),
    tn: perClass * accuracy,
    fp: perClass * (1 - accuracy),
  };
}
