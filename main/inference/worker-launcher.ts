import { fork } from 'node:child_process';
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
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code) => listener(code)),
    kill: () => child.kill('SIGKILL'),
  };
};
