/**
 * The main process's side of inference: one worker process at a time, requests routed to it by
 * id. A worker that dies is replaced and its unanswered requests sent again; when the replacement
 * cannot start either, launches are retried with a bounded backoff until one serves. A new model
 * is loaded in a second worker and swapped in when ready, while the old one finishes what it has;
 * a worker whose memory has grown past a limit is swapped for a fresh one the same way.
 */
import { Emitter } from '../base/emitter.js';
import { withRetry } from '../base/retry.js';
import type { Logger } from '../log/log-service.js';
import type { ExecutionProvider } from './onnx-classifier.js';
import type { WorkerHandle, WorkerLauncher } from './worker-launcher.js';
import { FromWorkerSchema } from './worker-protocol.js';
import { errorMessage } from '../../shared/errors.js';

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
  /** Resident memory when it became ready, and as last reported. */
  readyRss: number;
  rss: number;
}

/** `idle` before a model is loaded, `restarting` while a dead worker has no replacement serving. */
export type InferenceState = 'idle' | 'serving' | 'restarting' | 'closed';

export interface InferenceStatus {
  model: { dir: string; name: string; version: string } | null;
  provider: ExecutionProvider | null;
  state: InferenceState;
  /** Workers that died while serving and were restarted (or are being restarted). */
  restarts: number;
  /** Workers replaced because their memory grew past the limit. */
  recycles: number;
}

export interface InferenceOptions {
  /**
   * A worker whose resident memory grows by more than this since it became ready is replaced by
   * a fresh one. Growth, not a total: a model that needs more to start with (CUDA's context and
   * libraries) must not be recycled after every request.
   */
  memoryGrowthLimitBytes?: number;
  /** The wait after a failed restart; it doubles after each failure, up to `maxRestartDelayMs`. */
  firstRestartDelayMs?: number;
  maxRestartDelayMs?: number;
}

/** A CPU worker serving the shipped model starts at ~160 MB: it is recycled before ~1 GB. */
export const MEMORY_GROWTH_LIMIT_BYTES = 768 * 1024 * 1024;
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** After a recycle fails to start a replacement, the bloated worker keeps serving this long before another try. */
const RECYCLE_RETRY_MS = 60_000;

/** A request that has killed this many workers is answered with an error instead of a third. */
const MAX_ATTEMPTS = 2;

interface Started {
  worker: Worker;
  provider: ExecutionProvider;
  model: { name: string; version: string };
}

export class InferenceService {
  private current: Worker | null = null;
  /** A launch under way to replace a dead worker: new requests wait for it rather than fail. */
  private replacing: Promise<Worker | null> | null = null;
  /** Ends the restarts under way (their wait too) when the service closes. */
  private restarting: AbortController | null = null;
  private recycling = false;
  private recycleAgainAt = 0;
  private loaded: { modelDir: string; providers: ExecutionProvider[] } | null = null;
  private nextId = 0;
  private restarts = 0;
  private recycles = 0;
  private serving: Pick<InferenceStatus, 'model' | 'provider'> = { model: null, provider: null };
  private state: InferenceState = 'idle';
  private readonly memoryGrowthLimit: number;
  private readonly restartDelays: readonly number[];
  private readonly onDidChangeStateEmitter = new Emitter<InferenceStatus>();

  /** Fires when the service starts or stops serving (a crash, a restart, a close). */
  readonly onDidChangeState = this.onDidChangeStateEmitter.event;

  constructor(
    private readonly launch: WorkerLauncher,
    private readonly log: Logger,
    options: InferenceOptions = {},
  ) {
    this.memoryGrowthLimit = options.memoryGrowthLimitBytes ?? MEMORY_GROWTH_LIMIT_BYTES;
    this.restartDelays = doublingDelays(
      options.firstRestartDelayMs ?? FIRST_RESTART_DELAY_MS,
      options.maxRestartDelayMs ?? MAX_RESTART_DELAY_MS,
    );
  }

  /** Loads a model, or swaps the serving one for it with no request dropped. */
  async load(modelDir: string, providers: ExecutionProvider[]): Promise<InferenceStatus> {
    const next = await this.start(modelDir, providers);
    if (this.state === 'closed') {
      next.worker.handle.kill();
      throw new InferenceError('inference is shutting down');
    }
    this.loaded = { modelDir, providers };
    this.swapIn(next);
    this.log.info(`Serving ${next.model.name} ${next.model.version} on ${next.provider.toUpperCase()}`);
    return this.status;
  }

  async classify(image: Uint8Array): Promise<InferenceResult> {
    const worker = this.current ?? (await this.replacing);
    if (!worker) {
      throw new InferenceError(
        this.state === 'restarting'
          ? 'the inference worker is restarting'
          : this.state === 'closed'
            ? 'inference is shutting down'
            : 'no model is loaded',
      );
    }
    return new Promise((resolve, reject) => this.dispatch(worker, { image, attempts: 0, resolve, reject }));
  }

  get status(): InferenceStatus {
    return { ...this.serving, state: this.state, restarts: this.restarts, recycles: this.recycles };
  }

  /** The serving worker's process id (diagnostics; the tests kill it and read its memory). */
  get workerPid(): number | undefined {
    return this.current?.handle.pid;
  }

  async close(): Promise<void> {
    this.enter('closed');
    this.restarting?.abort();
    this.restarting = null;
    const worker = this.current;
    this.current = null;
    if (worker) {
      for (const request of worker.pending.values()) request.reject(new InferenceError('inference is shutting down'));
      worker.pending.clear();
      worker.handle.kill();
    }
    this.onDidChangeStateEmitter.dispose();
    await Promise.resolve();
  }

  private dispatch(worker: Worker, request: Request): void {
    const id = this.nextId++;
    worker.pending.set(id, request);
    worker.handle.send({ type: 'classify', id, image: request.image });
  }

  /** Makes a started worker the one that serves; the one it replaces finishes its requests and goes. */
  private swapIn(next: Started): void {
    const previous = this.current;
    this.current = next.worker;
    this.serving = {
      model: this.loaded ? { dir: this.loaded.modelDir, ...next.model } : null,
      provider: next.provider,
    };
    if (previous && previous !== next.worker) this.retire(previous);
    this.enter('serving');
  }

  private enter(state: InferenceState): void {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    this.onDidChangeStateEmitter.fire(this.status);
  }

  private start(modelDir: string, providers: ExecutionProvider[]): Promise<Started> {
    const handle = this.launch();
    const worker: Worker = { handle, pending: new Map(), retiring: false, readyRss: 0, rss: 0 };
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
            worker.readyRss = worker.rss = message.rss;
            resolve({ worker, provider: message.provider, model: message.model });
            break;
          case 'load-failed':
            handle.kill();
            reject(new InferenceError(message.message));
            break;
          case 'result':
          case 'error': {
            worker.rss = message.rss;
            const request = worker.pending.get(message.id);
            worker.pending.delete(message.id);
            if (request && message.type === 'result')
              request.resolve({ probability: message.probability, embedding: message.embedding });
            else if (request && message.type === 'error') request.reject(new InferenceError(message.message));
            if (worker.retiring && worker.pending.size === 0) handle.kill();
            else this.recycleIfBloated(worker);
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

  /**
   * Memory a worker does not give back (a decoder's arena, a leak in a native library) is given
   * back by replacing the worker: a fresh one loads the same model and is swapped in as `load`
   * does, so no request is dropped.
   */
  private recycleIfBloated(worker: Worker): void {
    if (worker !== this.current || this.recycling || this.state !== 'serving' || !this.loaded) return;
    if (worker.rss - worker.readyRss <= this.memoryGrowthLimit || Date.now() < this.recycleAgainAt) return;
    const loaded = this.loaded;
    this.recycling = true;
    const mb = (bytes: number): string => `${Math.round(bytes / 1e6)} MB`;
    this.log.warn(
      `The inference worker holds ${mb(worker.rss)} (${mb(worker.readyRss)} when it started); replacing it with a fresh one.`,
    );
    this.start(loaded.modelDir, loaded.providers).then(
      (next) => {
        this.recycling = false;
        // A model swap, a crash or a close got there first: this replacement is not needed.
        if (this.state !== 'serving' || this.current !== worker || this.loaded !== loaded) {
          next.worker.handle.kill();
          return;
        }
        this.recycles++;
        this.swapIn(next);
      },
      (error: unknown) => {
        this.recycling = false;
        this.recycleAgainAt = Date.now() + RECYCLE_RETRY_MS;
        this.log.error(`The inference worker could not be recycled (it keeps serving): ${describe(error)}`);
      },
    );
  }

  private async workerDied(worker: Worker, code: number | null): Promise<void> {
    const orphans = [...worker.pending.values()];
    worker.pending.clear();
    if (this.state === 'closed') {
      for (const request of orphans) request.reject(new InferenceError('inference is shutting down'));
      return;
    }
    if (worker !== this.current) {
      // A retired worker died with requests still on it: the one serving now answers them.
      if (!worker.retiring) return;
      this.redispatch(orphans, this.current ?? (await this.replacing));
      return;
    }
    this.restarts++;
    this.current = null;
    this.enter('restarting');
    this.log.error(
      `The inference worker died (code ${code}); restarting it with ${orphans.length} request(s) to answer again.`,
    );
    this.redispatch(orphans, await this.relaunch());
  }

  /**
   * Launches a replacement with the loaded model until one serves. Requests wait for the launch
   * under way; when it fails they are answered with an error at once (the miner answers those
   * with its policy) and the next launch follows after a wait that doubles each time up to the
   * cap. Resolves to the first launch's worker, or null when that one failed.
   */
  private relaunch(): Promise<Worker | null> {
    const loaded = this.loaded!;
    const restarting = new AbortController();
    this.restarting?.abort();
    this.restarting = restarting;
    let answerFirst!: (worker: Worker | null) => void;
    const first = new Promise<Worker | null>((resolve) => (answerFirst = resolve));
    const launchOnce = async (attempt: number): Promise<void> => {
      // Closed, or a model load swapped a worker in, during the wait.
      if (this.state !== 'restarting') return answerFirst(this.current);
      if (attempt > 1) this.log.info(`Restarting the inference worker (attempt ${attempt})…`);
      const launch = this.start(loaded.modelDir, loaded.providers);
      const replacement = launch.then(
        (next): Worker | null => this.replaced(next, attempt),
        (): null => null,
      );
      this.replacing = replacement;
      void replacement.then((worker) => {
        if (this.replacing === replacement) this.replacing = null;
        if (attempt === 1) answerFirst(worker);
      });
      await launch;
    };
    void withRetry(launchOnce, {
      delaysMs: this.restartDelays,
      signal: restarting.signal,
      isRetryable: () => this.state === 'restarting',
      onRetry: (error, wait, attempt) =>
        this.log.error(
          `The inference worker could not be restarted (attempt ${attempt}: ${describe(error)}); trying again in ${(wait / 1000).toFixed(1)} s.`,
        ),
    })
      .catch(() => undefined)
      .finally(() => {
        answerFirst(null);
        if (this.restarting === restarting) this.restarting = null;
      });
    return first;
  }

  /** A replacement launched: it serves, unless the service closed or a model load swapped one in meanwhile. */
  private replaced(next: Started, attempt: number): Worker | null {
    if (this.state !== 'restarting') {
      next.worker.handle.kill();
      return this.current;
    }
    this.swapIn(next);
    this.log.info(
      `The inference worker is serving again (${next.model.name} ${next.model.version} on ${next.provider.toUpperCase()}${attempt > 1 ? `, after ${attempt} attempts` : ''}).`,
    );
    return next.worker;
  }

  private redispatch(orphans: Request[], target: Worker | null): void {
    for (const request of orphans) {
      request.attempts++;
      if (!target) request.reject(new InferenceError('the inference worker could not be restarted'));
      else if (request.attempts >= MAX_ATTEMPTS)
        request.reject(new InferenceError('this image crashed the inference worker twice'));
      else this.dispatch(target, request);
    }
  }
}

function describe(error: unknown): string {
  return errorMessage(error);
}

/** `first`, doubled after each failure up to `max`, then `max` for every wait after. */
function doublingDelays(first: number, max: number): number[] {
  if (!(first > 0) || first >= max) return [Math.min(first, max)];
  const delays: number[] = [];
  for (let wait = first; wait < max; wait *= 2) delays.push(wait);
  return [...delays, max];
}
