import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { imageToTensor } from '../inference/preprocess.js';
import { OnnxClassifier, type ExecutionProvider } from '../inference/onnx-classifier.js';
import { listLabelledImages } from '../scoring/labelled-folder.js';
import {
  accuracy,
  auc,
  confusion,
  expectedValidatorReward,
  mcc,
  percentile,
  validatorReward,
  type Confusion,
} from '../scoring/metrics.js';
import { readModelDir } from '../scoring/model-dir.js';
import { errorMessage } from '../../shared/errors.js';

export interface LatencySummary {
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
}

export interface EvaluationReport {
  model: { dir: string; name: string; version: string; provider: ExecutionProvider };
  data: { dir: string; images: number; roadwork: number; none: number; unreadable: { file: string; reason: string }[] };
  accuracy: number;
  mcc: number;
  auc: number | null;
  confusion: Confusion;
  /** The reward formula at this accuracy and MCC taken as exact. */
  rewardAtPoint: number;
  /** The expected reward per challenge, with the last-10 accuracy varying as it does. */
  expectedReward: number;
  latency: { preprocess: LatencySummary; inferencePerImage: LatencySummary; batchSize: number };
  predictions: { file: string; label: 0 | 1; probability: number }[];
}

export interface EvaluateOptions {
  modelDir: string;
  dataDir: string;
  batchSize?: number;
  providers?: ExecutionProvider[];
  /** Only this split of a dataset manifest (the held-out `val` set, say). */
  split?: 'train' | 'val';
}

/**
 * Scores a model on a labelled folder the way validators would score a miner serving it. Images
 * that cannot be decoded are listed, not fatal: a corrupt file costs its place, not the run.
 */
export async function evaluateModel(options: EvaluateOptions): Promise<EvaluationReport> {
  const batchSize = options.batchSize ?? 8;
  const model = await readModelDir(options.modelDir);
  const classifier = await OnnxClassifier.load(model, options.providers ?? ['cpu']);
  try {
    const images = await listLabelledImages(options.dataDir, options.split);
    const unreadable: { file: string; reason: string }[] = [];
    const predictions: EvaluationReport['predictions'] = [];
    const preprocessMs: number[] = [];
    const inferenceMs: number[] = [];
    const batch = new Float32Array(batchSize * classifier.imageSize);

    for (let start = 0; start < images.length; start += batchSize) {
      const group = images.slice(start, start + batchSize);
      const ready: typeof group = [];
      for (const image of group) {
        const began = performance.now();
        try {
          const bytes = await readFile(join(options.dataDir, image.file));
          await imageToTensor(bytes, model.manifest.input, batch, ready.length * classifier.imageSize);
          ready.push(image);
          preprocessMs.push(performance.now() - began);
        } catch (error) {
          unreadable.push({ file: image.file, reason: errorMessage(error) });
        }
      }
      if (ready.length === 0) continue;
      const began = performance.now();
      const results = await classifier.classify(batch, ready.length);
      const perImage = (performance.now() - began) / ready.length;
      results.forEach((result, i) => {
        inferenceMs.push(perImage);
        predictions.push({
          file: ready[i]!.file,
          label: ready[i]!.label === 'roadwork' ? 1 : 0,
          probability: result.probability,
        });
      });
    }

    const probabilities = predictions.map((prediction) => prediction.probability);
    const labels = predictions.map((prediction) => prediction.label);
    const matrix = confusion(probabilities, labels);
    const acc = accuracy(matrix);
    const m = mcc(matrix);
    return {
      model: {
        dir: options.modelDir,
        name: model.manifest.name,
        version: model.manifest.version,
        provider: classifier.provider,
      },
      data: {
        dir: options.dataDir,
        images: predictions.length,
        roadwork: labels.filter((label) => label === 1).length,
        none: labels.filter((label) => label === 0).length,
        unreadable,
      },
      accuracy: acc,
      mcc: m,
      auc: auc(probabilities, labels),
      confusion: matrix,
      rewardAtPoint: validatorReward(m, acc),
      expectedReward: expectedValidatorReward(acc, m),
      latency: { preprocess: summarise(preprocessMs), inferencePerImage: summarise(inferenceMs), batchSize },
      predictions,
    };
  } finally {
    await classifier.release();
  }
}

function summarise(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.length === 0 ? 0 : sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { meanMs: mean, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
}

export function formatReport(report: EvaluationReport): string {
  const { confusion: c } = report;
  const ms = (s: LatencySummary): string =>
    `mean ${s.meanMs.toFixed(2)} ms, p50 ${s.p50Ms.toFixed(2)} ms, p95 ${s.p95Ms.toFixed(2)} ms`;
  const lines = [
    `Model   ${report.model.name} ${report.model.version} (${report.model.dir}), ${report.model.provider.toUpperCase()}`,
    `Data    ${report.data.images} images (${report.data.roadwork} roadwork, ${report.data.none} none) in ${report.data.dir}`,
    '',
    `Accuracy         ${report.accuracy.toFixed(4)}`,
    `MCC              ${report.mcc.toFixed(4)}`,
    `AUC              ${report.auc === null ? 'n/a (one class)' : report.auc.toFixed(4)}`,
    `Reward           ${report.expectedReward.toFixed(4)} expected per challenge (${report.rewardAtPoint.toFixed(4)} at these exact figures)`,
    '',
    '                 predicted roadwork   predicted none',
    `actual roadwork  ${String(c.tp).padStart(18)}   ${String(c.fn).padStart(14)}`,
    `actual none      ${String(c.fp).padStart(18)}   ${String(c.tn).padStart(14)}`,
    '',
    `Preprocess       ${ms(report.latency.preprocess)} per image`,
    `Inference        ${ms(report.latency.inferencePerImage)} per image (batches of ${report.latency.batchSize})`,
  ];
  if (report.data.unreadable.length > 0) {
    lines.push('', `Unreadable       ${report.data.unreadable.length} image(s), left out:`);
    for (const item of report.data.unreadable) lines.push(`  ${item.file}: ${item.reason}`);
  }
  return lines.join('\n');
}
