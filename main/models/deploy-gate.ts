/**
 * The deploy gate: a candidate may replace the live model when its MCC on the held-out set is at
 * most `maxMccDrop` below the live model's and, when the settings ask, its rehearsal reward is no
 * worse. Judged on a stored evaluation, and only while the model it was judged against is live.
 */
import type { GateVerdict, ModelEvaluation } from '../../shared/domain/model-registry.js';
import type { Settings } from '../../shared/domain/settings.js';

/** Equal scores compare equal despite floating-point noise. */
const TOLERANCE = 1e-9;

export function judgeGate(
  evaluation: Omit<ModelEvaluation, 'gate'>,
  deploy: Settings['deploy'],
  liveId: string | null,
): GateVerdict {
  const reasons: string[] = [];
  if (evaluation.liveId !== liveId) {
    reasons.push(
      `It was judged against ${evaluation.liveId}, but ${liveId ?? 'no model'} is live now: evaluate it again.`,
    );
  }
  const candidate = evaluation.candidate.heldOut.mcc;
  const live = evaluation.live.heldOut.mcc;
  const floor = live - deploy.maxMccDrop;
  if (candidate < floor - TOLERANCE) {
    reasons.push(
      `MCC ${candidate.toFixed(3)} on the ${evaluation.heldOut.images} held-out images is below the live model's ` +
        `${live.toFixed(3)} less the allowed drop of ${deploy.maxMccDrop.toFixed(3)} (at least ${floor.toFixed(3)} needed).`,
    );
  }
  const reward = evaluation.candidate.rehearsal.meanReward;
  const liveReward = evaluation.live.rehearsal.meanReward;
  if (deploy.requireRehearsal && reward < liveReward - TOLERANCE) {
    reasons.push(
      `Rehearsal reward ${reward.toFixed(4)} is below the live model's ${liveReward.toFixed(4)} ` +
        `(rank ${evaluation.candidate.rehearsal.rank} against ${evaluation.live.rehearsal.rank}).`,
    );
  }
  const passed = reasons.length === 0;
  return {
    passed,
    reasons,
    summary: passed
      ? `Passes: MCC ${candidate.toFixed(3)} against the live model's ${live.toFixed(3)}` +
        (deploy.requireRehearsal ? `, rehearsal reward ${reward.toFixed(4)} against ${liveReward.toFixed(4)}.` : '.')
      : `Refused: ${reasons.join(' ')}`,
  };
}
