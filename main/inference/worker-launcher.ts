import { forkHelper, type ChildHandle } from '../base/child-handle.js';

/** One inference worker process, whichever way it was started. */
export type WorkerHandle = ChildHandle;

export type WorkerLauncher = () => WorkerHandle;

/**
 * Headless: a Node child process (Electron's shell launches the same module as a utilityProcess).
 * Advanced serialisation carries image bytes and embeddings as typed arrays, not JSON.
 */
export const forkWorker: WorkerLauncher = () =>
  forkHelper(new URL('./inference-worker.js', import.meta.url), new URL('./worker-main.ts', import.meta.url), {
    serialization: 'advanced',
  });
