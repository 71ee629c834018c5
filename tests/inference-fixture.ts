import { afterEach, beforeAll } from 'vitest';
import { LogService } from '../main/log/log-service.js';
import { SHIPPED_MODEL_DIR } from '../main/models/model-fixtures.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { InferenceService, type InferenceOptions } from '../main/inference/inference-service.js';
import { cudaLibrariesPresent, type ExecutionProvider } from '../main/inference/onnx-classifier.js';
import { forkWorker, type WorkerLauncher } from '../main/inference/worker-launcher.js';

/** The model the console ships with: what the inference tests serve. */
export const DEFAULT_MODEL = SHIPPED_MODEL_DIR;

/**
 * The execution providers that can load here: the CPU always; CUDA only where onnxruntime-node
 * ships its CUDA provider (whether a GPU then takes it is the machine's to say). A provider a
 * service reports is one it asked for and one of these.
 */
export const AVAILABLE_PROVIDERS: readonly ExecutionProvider[] = cudaLibrariesPresent() ? ['cuda', 'cpu'] : ['cpu'];

export interface StartedInference {
  service: InferenceService;
  log: LogService;
}

export interface InferenceStart {
  /** Tried in order; the shipped model always loads on the CPU. */
  providers?: ExecutionProvider[];
  options?: InferenceOptions;
  launch?: WorkerLauncher;
}

/**
 * Inference services with a real worker process each, closed after each test: `create` gives one
 * with nothing loaded, `start` one serving the shipped model.
 */
export function useInferenceServices(): {
  create(start?: Omit<InferenceStart, 'providers'>): StartedInference;
  start(start?: InferenceStart): Promise<StartedInference>;
} {
  const services: InferenceService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.close()));
  });
  const create = ({ options = {}, launch = forkWorker }: Omit<InferenceStart, 'providers'> = {}): StartedInference => {
    const log = new LogService({ filePath: null });
    const service = new InferenceService(launch, log.forSource('inference'), options);
    services.push(service);
    return { service, log };
  };
  const start = async ({ providers = ['cpu'], ...rest }: InferenceStart = {}): Promise<StartedInference> => {
    const started = create(rest);
    await started.service.load(DEFAULT_MODEL, providers);
    return started;
  };
  return { create, start };
}

/**
 * `count` generated street scenes as JPEGs (seed 0 roadwork, 1 none, 2 roadwork, ...), rendered
 * once before the file's tests: the array is filled in place, so take it at the top of the file.
 */
export function useStreetImages(count: number): readonly Buffer[] {
  const images: Buffer[] = [];
  beforeAll(async () => {
    const rendered = await Promise.all(
      Array.from(
        { length: count },
        async (_, seed) => (await renderStreetImage(seed, seed % 2 ? 'none' : 'roadwork', 0)).jpeg,
      ),
    );
    images.push(...rendered);
  });
  return images;
}
