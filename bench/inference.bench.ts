/**
 * `npm run bench`: what one challenge costs on this machine's CPU with the shipped model: the
 * bare onnxruntime forward pass at batch 1 and batch 8, preprocessing of a validator-sized JPEG,
 * and the scene generator's rate. Figures come from one run and are compared as ratios.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { readImageHeader } from '../main/inference/image-header.js';
import { OnnxClassifier } from '../main/inference/onnx-classifier.js';
import { imageToTensor } from '../main/inference/preprocess.js';
import { readModelDir } from '../main/scoring/model-dir.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { errorMessage } from '../shared/errors.js';

const MODEL_DIR = process.env.BENCH_MODEL ?? join(import.meta.dirname, '..', 'resources', 'models', 'default');

async function timePerCall(iterations: number, call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.max(3, iterations / 10); i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const began = performance.now();
    await call();
    samples.push(performance.now() - began);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

async function main(): Promise<void> {
  const model = await readModelDir(MODEL_DIR);
  const classifier = await OnnxClassifier.load(model, ['cpu']);
  const sample = await renderStreetImage(1, 'roadwork', 0);
  const one = await imageToTensor(sample.jpeg, model.manifest.input);
  const eight = new Float32Array(8 * classifier.imageSize);
  for (let i = 0; i < 8; i++) eight.set(one, i * classifier.imageSize);

  const preprocessMs = await timePerCall(200, () => imageToTensor(sample.jpeg, model.manifest.input));
  // The size check every image passes before decoding: read by hand, or by sharp (header only).
  const headerMs = await timePerCall(2000, () => Promise.resolve(readImageHeader(sample.jpeg)));
  const metadataMs = await timePerCall(500, () => sharp(sample.jpeg).metadata());
  const batch1Ms = await timePerCall(200, () => classifier.classify(one, 1));
  const batch8Ms = (await timePerCall(50, () => classifier.classify(eight, 8))) / 8;
  let seed = 100;
  const sceneMs = await timePerCall(40, () => renderStreetImage(seed++, seed % 2 ? 'roadwork' : 'none'));
  await classifier.release();

  const rows: [string, number][] = [
    ['preprocess one 224×224 JPEG (decode → float tensor)', preprocessMs],
    ["read a JPEG's size from its header (image-header.ts)", headerMs],
    ["read a JPEG's size with sharp's metadata()", metadataMs],
    ['forward, batch 1, per image', batch1Ms],
    ['forward, batch 8, per image', batch8Ms],
    ['generate one street scene (draw + distort + JPEG)', sceneMs],
  ];
  const result = {
    model: `${model.manifest.name} ${model.manifest.version}`,
    provider: classifier.provider,
    medianMs: Object.fromEntries(rows.map(([name, ms]) => [name, Number(ms.toFixed(3))])),
    ratios: {
      batch8PerImageOverBatch1: Number((batch8Ms / batch1Ms).toFixed(3)),
      preprocessOverForwardBatch1: Number((preprocessMs / batch1Ms).toFixed(3)),
      challengeBudgetUsed: Number(((preprocessMs + batch1Ms) / 9000).toExponential(2)),
    },
  };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `Model ${result.model} on ${classifier.provider.toUpperCase()} (median of many runs, one process)\n\n`,
  );
  for (const [name, ms] of rows) process.stdout.write(`${ms.toFixed(3).padStart(9)} ms  ${name}\n`);
  process.stdout.write(
    `\nbatch 8 costs ${result.ratios.batch8PerImageOverBatch1}× batch 1 per image; preprocessing is ${result.ratios.preprocessOverForwardBatch1}× a batch-1 forward pass;\n` +
      `one challenge (preprocess + forward) uses ${result.ratios.challengeBudgetUsed} of the validators' 9 s deadline.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Benchmark failed: ${errorMessage(error)}\n`);
  process.exit(1);
});
