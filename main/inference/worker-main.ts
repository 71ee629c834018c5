/**
 * The inference worker process: loads one model and answers classify requests, in batches of
 * whatever arrived while the previous batch ran. It runs outside the main process so
 * a crash or out-of-memory in onnxruntime costs a restart, not the console.
 */
import sharp from 'sharp';
import { readModelDir } from '../scoring/model-dir.js';
import { OnnxClassifier } from './onnx-classifier.js';
import { warmJpegFastPath } from './jpeg-fast-path.js';
import { imageToTensor } from './preprocess.js';
import { MAX_BATCH, ToWorkerSchema, type FromWorker } from './worker-protocol.js';
import { errorMessage } from '../../shared/errors.js';
import { parentChannel } from '../base/parent-channel.js';

interface Pending {
  id: number;
  image: Uint8Array;
}

let classifier: OnnxClassifier | null = null;
const queue: Pending[] = [];
let busy = false;
let loading = Promise.resolve();

// libvips' operation cache keeps recent decodes: a few large images would hold hundreds of MB for
// good, and no image here is decoded twice.
sharp.cache(false);

// Forked by Node headless, a utilityProcess in the desktop app: each talks to its parent its own way.
const channel = parentChannel();

const rss = (): number => process.memoryUsage.rss();

/** Typed, not re-parsed here: the service checks every message it receives. */
function reply(message: FromWorker): void {
  channel.send(message);
}

async function load(modelDir: string, providers: ('cuda' | 'cpu')[]): Promise<void> {
  try {
    const [loaded] = await Promise.all([
      OnnxClassifier.load(await readModelDir(modelDir), providers),
      warmJpegFastPath(),
    ]);
    classifier = loaded;
    reply({
      type: 'ready',
      provider: classifier.provider,
      model: { name: classifier.model.manifest.name, version: classifier.model.manifest.version },
      rss: rss(),
    });
  } catch (error) {
    reply({ type: 'load-failed', message: errorMessage(error) });
  }
}

async function runBatch(batch: Pending[]): Promise<void> {
  const model = classifier;
  if (!model) {
    for (const item of batch) reply({ type: 'error', id: item.id, message: 'no model is loaded', rss: rss() });
    return;
  }
  const pixels = new Float32Array(batch.length * model.imageSize);
  const decoded: Pending[] = [];
  await Promise.all(
    batch.map(async (item) => {
      try {
        const tensor = await imageToTensor(
          Buffer.from(item.image.buffer, item.image.byteOffset, item.image.byteLength),
          model.model.manifest.input,
        );
        pixels.set(tensor, decoded.length * model.imageSize);
        decoded.push(item);
      } catch (error) {
        reply({
          type: 'error',
          id: item.id,
          message: errorMessage(error),
          rss: rss(),
        });
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
        rss: rss(),
      }),
    );
  } catch (error) {
    for (const item of decoded)
      reply({
        type: 'error',
        id: item.id,
        message: errorMessage(error),
        rss: rss(),
      });
  }
}

/**
 * Batches form by themselves: an idle worker starts at once (after the current turn of the event
 * loop, so requests that arrived together go together), and whatever arrives while a batch runs
 * makes the next one. No request ever waits on a timer.
 */
function schedule(): void {
  if (busy || queue.length === 0) return;
  busy = true;
  setImmediate(() => {
    const batch = queue.splice(0, MAX_BATCH);
    void loading
      .then(() => runBatch(batch))
      .finally(() => {
        busy = false;
        schedule();
      });
  });
}

channel.onMessage((raw: unknown) => {
  const parsed = ToWorkerSchema.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === 'load') {
    loading = loading.then(() => load(message.modelDir, message.providers));
    return;
  }
  queue.push({ id: message.id, image: message.image });
  schedule();
});

// The service went away: so does the worker.
channel.onDisconnect(() => process.exit(0));
