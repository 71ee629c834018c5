import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One inference worker process, whichever way it was started. */
export interface WorkerHandle {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type WorkerLauncher = () => WorkerHandle;

/** The worker's entry: bundled beside the back end, or its source when running from source. */
export function workerEntry(): string {
  const bundled = fileURLToPath(new URL('./inference-worker.js', import.meta.url));
  return existsSync(bundled) ? bundled : fileURLToPath(new URL('./worker-main.ts', import.meta.url));
}

/**
 * Headless: a Node child process (Electron's shell launches the same module as a utilityProcess).
 * Advanced serialisation carries image bytes and embeddings as typed arrays, not JSON.
 */
export const forkWorker: WorkerLauncher = () => {
  const entry = workerEntry();
  const child = fork(entry, [], {
    serialization: 'advanced',
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return childWorkerHandle(child);
};

/** A child process with an IPC channel, as a worker handle. */
export function childWorkerHandle(child: ChildProcess): WorkerHandle {
  const exitListeners: ((code: number | null) => void)[] = [];
  let exited = false;
  const exit = (code: number | null): void => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(code);
  };
  child.on('exit', exit);
  // A message sent to a worker that has just died fails with an 'error' event (its 'exit' tells
  // the service); a process that could not be started at all has only the 'error' to say so.
  child.on('error', () => {
    if (child.pid === undefined) exit(null);
  });
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => child.kill('SIGKILL'),
  };
}
