/**
 * Judges a candidate beside the live model, each the same way: the eval on the held-out set and a
 * short rehearsal on a fresh local subnet (the same seed for both, so both face the same
 * challenges and the same peers). The numbers only; the gate is judged from them.
 */
import type { HeldOutScores, ModelEvaluation, RehearsalScores } from '../../shared/domain/model-registry.js';
import type { WorkerLauncher } from '../inference/worker-launcher.js';
import type { Logger } from '../log/log-service.js';
import { rehearse } from '../subnet/rehearsal.js';
import { evaluateModel } from './evaluate.js';
import type { HeldOutSet } from './held-out-set.js';

export interface RehearsalPlan {
  validators: number;
  challenges: number;
  peers: number;
  seed: number;
}

/** A short rehearsal: seconds, not minutes. */
export const SHORT_REHEARSAL: RehearsalPlan = { validators: 3, challenges: 20, peers: 12, seed: 72 };

export interface JudgeOptions {
  candidate: { id: string; dir: string };
  live: { id: string; dir: string };
  heldOut: HeldOutSet;
  rehearsal: RehearsalPlan;
  log: Logger;
  launchWorker?: WorkerLauncher;
}

export type Judgement = Omit<ModelEvaluation, 'gate'>;

export async function judgeCandidate(options: JudgeOptions): Promise<Judgement> {
  const { candidate, live, heldOut } = options;
  const scoreOf = async (dir: string) => ({
    heldOut: await heldOutScores(dir, heldOut),
    rehearsal: await rehearsalScores(dir, options),
  });
  const candidateScores = await scoreOf(candidate.dir);
  // The live model judged against itself needs no second run.
  const liveScores = candidate.id === live.id ? candidateScores : await scoreOf(live.dir);
  return {
    at: new Date().toISOString(),
    candidateId: candidate.id,
    liveId: live.id,
    heldOut: { source: heldOut.source, images: candidateScores.heldOut.images, note: heldOut.note },
    rehearsal: { ...options.rehearsal },
    candidate: candidateScores,
    live: liveScores,
  };
}

async function heldOutScores(modelDir: string, heldOut: HeldOutSet): Promise<HeldOutScores> {
  const report = await evaluateModel({ modelDir, dataDir: heldOut.dir, split: heldOut.split });
  const latency = report.latency.inferencePerImage;
  return {
    images: report.data.images,
    accuracy: report.accuracy,
    mcc: report.mcc,
    auc: report.auc,
    expectedReward: report.expectedReward,
    latencyMs: { mean: latency.meanMs, p50: latency.p50Ms, p95: latency.p95Ms },
  };
}

async function rehearsalScores(modelDir: string, options: JudgeOptions): Promise<RehearsalScores> {
  const result = await rehearse({
    modelDir,
    validators: options.rehearsal.validators,
    challenges: options.rehearsal.challenges,
    peers: options.rehearsal.peers,
    seed: options.rehearsal.seed,
    log: options.log,
    launchWorker: options.launchWorker,
  });
  return {
    rank: result.rank,
    miners: result.miners,
    incentive: result.incentive,
    meanReward: result.meanReward,
    mcc: result.mcc,
    accuracy: result.accuracy,
    answers: result.answers,
    failures: result.failures,
    imagesNote: result.imageSources.note,
  };
}
