import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelDir } from '../scoring/model-dir.js';
import { errorMessage } from '../../shared/errors.js';

export type ExecutionProvider = 'cuda' | 'cpu';

export interface Classification {
  /** P(positive label), in [0, 1]. */
  probability: number;
  embedding: Float32Array | null;
}

/**
 * One ONNX classifier: batches of preprocessed images in, P(roadwork) (and the embedding, when
 * the model has one) out. Tries the execution providers in order and reports which one loaded.
 */
export class OnnxClassifier {
  private constructor(
    readonly model: ModelDir,
    private readonly session: ort.InferenceSession,
    readonly provider: ExecutionProvider,
  ) {}

  static async load(model: ModelDir, providers: readonly ExecutionProvider[] = ['cpu']): Promise<OnnxClassifier> {
    const failures: string[] = [];
    for (const provider of providers) {
      if (provider === 'cuda' && !cudaLibrariesPresent()) {
        failures.push(
          'cuda: onnxruntime-node has no CUDA libraries here (installed with ONNXRUNTIME_NODE_INSTALL=skip, or not Linux x64)',
        );
        continue;
      }
      try {
        const session = await ort.InferenceSession.create(model.onnxPath, {
          executionProviders: [provider],
          graphOptimizationLevel: 'all',
        });
        return new OnnxClassifier(model, session, provider);
      } catch (error) {
        failures.push(`${provider}: ${errorMessage(error)}`);
      }
    }
    throw new Error(`${model.onnxPath} could not be loaded with any execution provider (${failures.join('; ')})`);
  }

  get imageSize(): number {
    return 3 * this.model.manifest.input.width * this.model.manifest.input.height;
  }

  /** `pixels` holds `count` preprocessed images back to back. */
  async classify(pixels: Float32Array, count: number): Promise<Classification[]> {
    const { input, outputs, labels } = this.model.manifest;
    const tensor = new ort.Tensor('float32', pixels.subarray(0, count * this.imageSize), [
      count,
      3,
      input.height,
      input.width,
    ]);
    const wanted = outputs.embedding ? [outputs.logits, outputs.embedding] : [outputs.logits];
    const result = await this.session.run({ [input.name]: tensor }, wanted);
    const logits = result[outputs.logits]!.data as Float32Array;
    const embeddingTensor = outputs.embedding ? result[outputs.embedding] : undefined;
    const classes = labels.length;
    const dims = embeddingTensor ? Number(embeddingTensor.dims[1]) : 0;
    const classifications: Classification[] = [];
    for (let i = 0; i < count; i++) {
      const row = logits.subarray(i * classes, (i + 1) * classes);
      classifications.push({
        probability: softmaxAt(row, this.model.positiveIndex),
        embedding: embeddingTensor ? (embeddingTensor.data as Float32Array).slice(i * dims, (i + 1) * dims) : null,
      });
    }
    return classifications;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** onnxruntime-node fetches its CUDA provider at install time; without it, asking for CUDA only fails noisily. */
export function cudaLibrariesPresent(): boolean {
  try {
    const root = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    return existsSync(join(root, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}

function softmaxAt(row: Float32Array, index: number): number {
  let max = -Infinity;
  for (const value of row) max = Math.max(max, value);
  let sum = 0;
  for (const value of row) sum += Math.exp(value - max);
  const p = Math.exp(row[index]! - max) / sum;
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0.5;
}
