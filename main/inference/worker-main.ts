/**
 * The inference worker process: loads one model and answers classify requests, gathering those
 * that arrive within a couple of milliseconds into one batch. It runs outside the main process so
 * a crash or out-of-memory in onnxruntime costs a restart, not the console.
 */
import { readModelDir } from '../models/model-dir.js';
import { OnnxClassifier } from './onnx-classifier.js';
import { imageToTensor } from './preprocess.js';
import { BATCH_WINDOW_MS, FromWorkerSchema, MAX_BATCH, ToWorkerSchema, type FromWorker } from './worker-protocol.js';

interface Pending {
  id: number;
  image: Uint8Array;
}

let classifier: OnnxClassifier | null = null;
let queue: Pending[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
let running = Promise.resolve();

function reply(message: FromWorker): void {
  process.send?.(FromWorkerSchema.parse(message));
}

async function load(modelDir: string, providers: ('cuda' | 'cpu')[]): Promise<void> {
  try {
    classifier = await OnnxClassifier.load(await readModelDir(modelDir), providers);
    reply({
      type: 'ready',
      provider: classifier.provider,
      model: { name: classifier.model.manifest.name, version: classifier.model.manifest.version },
    });
  } catch (error) {
    reply({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
  }
}

async function runBatch(batch: Pending[]): Promise<void> {
  const model = classifier;
  if (!model) {
    for (const item of batch) reply({ type: 'error', id: item.id, message: 'no model is loaded' });
    return;
  }
  const pixels = new Float32Array(batch.length * model.imageSize);
  const decoded: Pending[] = [];
  await Promise.all(
    batch.map(async (item) => {
      try {
        const tensor = await imageToTensor(Buffer.from(item.image), model.model.manifest.input);
        pixels.set(tensor, decoded.length * model.imageSize);
        decoded.push(item);
      } catch (error) {
        reply({ type: 'error', id: item.id, message: error instanceof Error ? error.message : String(error) });
      }
    }),
  );
  if (decoded.length === 0) return;
  try {
    const results = await model.classify(pixels, decoded.length);
    results.forEach((result, i) =>
      reply({
        type: 'result',
        id: decoded[i]!.id,
        probability: result.probability,
        embedding: result.embedding ? new Float32Array(result.embedding) : null,
      }),
    );
  } catch (error) {
    for (const item of decoded)
      reply({ type: 'error', id: item.id, message: error instanceof Error ? error.message : String(error) });
  }
}

function flush(): void {
  timer = null;
  const batch = queue.slice(0, MAX_BATCH);
  queue = queue.slice(MAX_BATCH);
  if (queue.length > 0) timer = setTimeout(flush, 0);
  running = running.then(() => runBatch(batch));
}

process.on('message', (raw: unknown) => {
  const parsed = ToWorkerSchema.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === 'load') {
    running = running.then(() => load(message.modelDir, message.providers));
    return;
  }
  queue.push({ id: message.id, image: message.image });
  if (queue.length >= MAX_BATCH) {
    if (timer) clearTimeout(timer);
    flush();
  } else {
    timer ??= setTimeout(flush, BATCH_WINDOW_MS);
  }
});

// The service went away: so does the worker.
process.on('disconnect', () => process.exit(0));
