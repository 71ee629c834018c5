/**
 * The main process's side of inference: one worker process at a time, requests routed to it by
 * id. A worker that dies is replaced and its unanswered requests sent again; a new model is
 * loaded in a second worker and swapped in when ready, while the old one finishes what it has.
 */
import type { Logger } from '../log/log-service.js';
import type { ExecutionProvider } from './onnx-classifier.js';
import type { WorkerHandle, WorkerLauncher } from './worker-launcher.js';
import { FromWorkerSchema } from './worker-protocol.js';

export interface InferenceResult {
  probability: number;
  embedding: Float32Array | null;
}

export class InferenceError extends Error {}

interface Request {
  image: Uint8Array;
  attempts: number;
  resolve(result: InferenceResult): void;
  reject(error: Error): void;
}

interface Worker {
  handle: WorkerHandle;
  pending: Map<number, Request>;
  retiring: boolean;
}

export interface InferenceStatus {
  model: { dir: string; name: string; version: string } | null;
  provider: ExecutionProvider | null;
  restarts: number;
}

/** A request that has killed this many workers is answered with an error instead of a third. */
const MAX_ATTEMPTS = 2;

export class InferenceService {
  private current: Worker | null = null;
  /** While a dead worker is being replaced, new requests wait for the replacement. */
  private replacing: Promise<Worker | null> | null = null;
  private loaded: { modelDir: string; providers: ExecutionProvider[] } | null = null;
  private nextId = 0;
  private restarts = 0;
  private state: InferenceStatus = { model: null, provider: null, restarts: 0 };
  private closed = false;

  constructor(
    private readonly launch: WorkerLauncher,
    private readonly log: Logger,
  ) {}

  /** Loads a model, or swaps the serving one for it with no request dropped. */
  async load(modelDir: string, providers: ExecutionProvider[]): Promise<InferenceStatus> {
    const next = await this.start(modelDir, providers);
    const previous = this.current;
    this.current = next.worker;
    this.loaded = { modelDir, providers };
    this.state = { model: { dir: modelDir, ...next.model }, provider: next.provider, restarts: this.restarts };
    if (previous) this.retire(previous);
    this.log.info(`Serving ${next.model.name} ${next.model.version} on ${next.provider.toUpperCase()}`);
    return this.status;
  }

  async classify(image: Uint8Array): Promise<InferenceResult> {
    const worker = this.current ?? (await this.replacing);
    if (!worker) throw new InferenceError('no model is loaded');
    return new Promise((resolve, reject) => this.dispatch(worker, { image, attempts: 0, resolve, reject }));
  }

  get status(): InferenceStatus {
    return { ...this.state, restarts: this.restarts };
  }

  /** The serving worker's process id (diagnostics; the tests kill it). */
  get workerPid(): number | undefined {
    return this.current?.handle.pid;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.current;
    this.current = null;
    if (worker) {
      for (const request of worker.pending.values()) request.reject(new InferenceError('inference is shutting down'));
      worker.pending.clear();
      worker.handle.kill();
    }
    await Promise.resolve();
  }

  private dispatch(worker: Worker, request: Request): void {
    const id = this.nextId++;
    worker.pending.set(id, request);
    worker.handle.send({ type: 'classify', id, image: request.image });
  }

  private start(
    modelDir: string,
    providers: ExecutionProvider[],
  ): Promise<{ worker: Worker; provider: ExecutionProvider; model: { name: string; version: string } }> {
    const handle = this.launch();
    const worker: Worker = { handle, pending: new Map(), retiring: false };
    return new Promise((resolve, reject) => {
      let ready = false;
      handle.onMessage((raw) => {
        const parsed = FromWorkerSchema.safeParse(raw);
        if (!parsed.success) {
          this.log.error('The inference worker sent a message outside its protocol; ignored.');
          return;
        }
        const message = parsed.data;
        switch (message.type) {
          case 'ready':
            ready = true;
            resolve({ worker, provider: message.provider, model: message.model });
            break;
          case 'load-failed':
            handle.kill();
            reject(new InferenceError(message.message));
            break;
          case 'result':
          case 'error': {
            const request = worker.pending.get(message.id);
            worker.pending.delete(message.id);
            if (request && message.type === 'result')
              request.resolve({ probability: message.probability, embedding: message.embedding });
            else if (request && message.type === 'error') request.reject(new InferenceError(message.message));
            if (worker.retiring && worker.pending.size === 0) handle.kill();
            break;
          }
        }
      });
      handle.onExit((code) => {
        if (!ready) {
          reject(new InferenceError(`the inference worker exited while loading (code ${code})`));
          return;
        }
        void this.workerDied(worker, code);
      });
      handle.send({ type: 'load', modelDir, providers });
    });
  }

  private retire(worker: Worker): void {
    worker.retiring = true;
    if (worker.pending.size === 0) worker.handle.kill();
  }

  private async workerDied(worker: Worker, code: number | null): Promise<void> {
    const orphans = [...worker.pending.values()];
    worker.pending.clear();
    if (worker.retiring || this.closed) {
      for (const request of orphans) request.reject(new InferenceError('the inference worker stopped'));
      return;
    }
    this.restarts++;
    this.log.error(
      `The inference worker died (code ${code}); restarting it with ${orphans.length} request(s) to answer again.`,
    );
    if (this.current === worker) this.current = null;
    const loaded = this.loaded!;
    this.replacing = this.start(loaded.modelDir, loaded.providers).then(
      (replacement) => {
        if (this.closed) {
          replacement.worker.handle.kill();
          return null;
        }
        this.current ??= replacement.worker;
        return this.current;
      },
      (error: unknown) => {
        this.log.error(
          `The inference worker could not be restarted: ${error instanceof Error ? error.message : String(error)}`,
        );
        return null;
      },
    );
    const target = await this.replacing;
    this.replacing = null;
    for (const request of orphans) {
      request.attempts++;
      if (!target) request.reject(new InferenceError('the inference worker could not be restarted'));
      else if (request.attempts >= MAX_ATTEMPTS)
        request.reject(new InferenceError('this image crashed the inference worker twice'));
      else this.dispatch(target, request);
    }
  }
}
