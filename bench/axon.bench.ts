/**
 * End-to-end axon latency over loopback (signature check, decode, preprocess, inference in the
 * worker process, response) against the bare onnxruntime forward of the same model in the same
 * run, and throughput at concurrency 1, 8 and 32.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { InferenceService } from '../main/inference/inference-service.js';
import { OnnxClassifier } from '../main/inference/onnx-classifier.js';
import { imageToTensor } from '../main/inference/preprocess.js';
import { forkWorker } from '../main/inference/worker-launcher.js';
import { LogService } from '../main/log/log-service.js';
import { startAxon } from '../main/miner/axon-server.js';
import { DEV_VALIDATOR_URIS } from '../main/bittensor/dev-accounts.js';
import { imageSynapseHandler } from '../main/miner/image-synapse.js';
import { signaturesReady } from '../main/bittensor/signature.js';
import { percentile } from '../main/scoring/metrics.js';
import { readModelDir } from '../main/scoring/model-dir.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import type { LoadResult } from './validator-load.js';

const MODEL_DIR = process.env.BENCH_MODEL ?? join(import.meta.dirname, '..', 'resources', 'models', 'default');

function runValidatorLoad(port: number, minerHotkey: string): Promise<LoadResult> {
  const script = join(import.meta.dirname, 'validator-load.ts');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, String(port), minerHotkey],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) =>
        error
          ? reject(new Error(`the validators' process failed: ${error.message}`))
          : resolve(JSON.parse(stdout) as LoadResult),
    );
  });
}

async function main(): Promise<void> {
  await signaturesReady();
  const log = new LogService({ filePath: null });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const validators = DEV_VALIDATOR_URIS.map((uri) => keyring.addFromUri(uri));
  const miner = keyring.addFromUri('//Ferdie');
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
  const inference = new InferenceService(forkWorker, log.forSource('inference'));
  await inference.load(MODEL_DIR, ['cpu']);
  const axon = await startAxon({
    hotkey: miner.address,
    host: '127.0.0.1',
    port: 0,
    policy: {
      standing: (hotkey) => {
        const uid = validators.findIndex((v) => v.address === hotkey);
        return uid >= 0 ? { uid, validatorPermit: true, stake: 1000 } : null;
      },
      requireValidatorPermit: true,
      minStake: 0,
    },
    handler: imageSynapseHandler(
      async (bytes) => (await inference.classify(bytes)).probability,
      log.forSource('miner'),
    ),
    log: log.forSource('axon'),
    onRecord: (record) => serverSide.push(record.latencyMs),
  });

  // The validators run in their own process, so their work does not share the axon's event loop.
  const load = await runValidatorLoad(axon.port, miner.address);
  const sequential = load.sequentialMs;
  const throughput = load.throughput;
  const axonSide = serverSide.slice(20, 220);
  await axon.close();
  await inference.close();

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
  process.stderr.write(`Axon benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
