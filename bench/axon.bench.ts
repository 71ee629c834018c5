/**
 * End-to-end axon latency over loopback (signature check, decode, preprocess, inference in the
 * worker process, response) against the bare onnxruntime forward of the same model in the same
 * run, and throughput at concurrency 1, 8 and 32.
 */
import { OnnxClassifier } from '../main/inference/onnx-classifier.js';
import { imageToTensor } from '../main/inference/preprocess.js';
import { percentile } from '../main/scoring/metrics.js';
import { readModelDir } from '../main/scoring/model-dir.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { MODEL_DIR, runLoadProcess, startBenchAxon } from './bench-axon.js';
import type { LoadResult } from './validator-load.js';
import { errorMessage } from '../shared/errors.js';

async function main(): Promise<void> {
  const model = await readModelDir(MODEL_DIR);
  const jpeg = (await renderStreetImage(5, 'roadwork', 0)).jpeg;

  // The bare forward pass, in this process.
  const bare = await OnnxClassifier.load(model, ['cpu']);
  const tensor = await imageToTensor(jpeg, model.manifest.input);
  for (let i = 0; i < 20; i++) await bare.classify(tensor, 1);
  const forward: number[] = [];
  const pipeline: number[] = [];
  for (let i = 0; i < 200; i++) {
    const began = performance.now();
    await bare.classify(tensor, 1);
    forward.push(performance.now() - began);
  }
  // The same work with the image decoded first, still in one process: what the axon adds to it
  // is the signature, HTTP and the trip to the worker.
  for (let i = 0; i < 200; i++) {
    const began = performance.now();
    await bare.classify(await imageToTensor(jpeg, model.manifest.input), 1);
    pipeline.push(performance.now() - began);
  }
  await bare.release();

  const serverSide: number[] = [];
  const bench = await startBenchAxon({ onRecord: (record) => serverSide.push(record.latencyMs) });

  // The validators run in their own process, so their work does not share the axon's event loop.
  const load = await runLoadProcess<LoadResult>('validator-load.ts', [String(bench.axon.port), bench.miner.address]);
  const sequential = load.sequentialMs;
  const throughput = load.throughput;
  const axonSide = serverSide.slice(20, 220);
  await bench.close();

  const sort = (values: number[]): number[] => [...values].sort((a, b) => a - b);
  const f = sort(forward);
  const e = sort(sequential);
  const summary = (values: number[]): { p50: number; p99: number } => {
    const sorted = sort(values);
    return { p50: Number(percentile(sorted, 0.5).toFixed(3)), p99: Number(percentile(sorted, 0.99).toFixed(3)) };
  };
  const result = {
    bareForwardMs: summary(forward),
    decodeAndForwardMs: summary(pipeline),
    axonEndToEndMs: summary(sequential),
    axonServerSideMs: summary(axonSide),
    ratioP50: Number((percentile(e, 0.5) / percentile(f, 0.5)).toFixed(2)),
    p50OverheadMs: Number((percentile(e, 0.5) - percentile(f, 0.5)).toFixed(3)),
    aimP50Ms: Number((1.3 * percentile(f, 0.5) + 3).toFixed(3)),
    throughput,
  };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `\nAxon over loopback (sequential, 200 requests)\n` +
      `${result.bareForwardMs.p50.toFixed(3).padStart(9)} ms  bare forward p50 (p99 ${result.bareForwardMs.p99.toFixed(3)} ms)\n` +
      `${result.decodeAndForwardMs.p50.toFixed(3).padStart(9)} ms  decode + forward in one process p50 (p99 ${result.decodeAndForwardMs.p99.toFixed(3)} ms)\n` +
      `${result.axonServerSideMs.p50.toFixed(3).padStart(9)} ms  axon, request in to answer out p50 (p99 ${result.axonServerSideMs.p99.toFixed(3)} ms)\n` +
      `${result.axonEndToEndMs.p50.toFixed(3).padStart(9)} ms  end to end p50 (p99 ${result.axonEndToEndMs.p99.toFixed(3)} ms): ${result.ratioP50}× the forward, +${result.p50OverheadMs} ms (aim ≤ ${result.aimP50Ms} ms)\n`,
  );
  for (const [name, value] of Object.entries(throughput)) {
    process.stdout.write(`${String(value.perSecond).padStart(9)} /s  ${name}, ${value.errors} errors\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Axon benchmark failed: ${errorMessage(error)}\n`);
  process.exit(1);
});
