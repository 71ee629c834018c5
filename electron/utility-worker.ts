import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { WorkerHandle, WorkerLauncher } from '../main/inference/worker-launcher.js';

/**
 * In the desktop app the inference worker is an Electron utilityProcess (onnxruntime inside the
 * main process's worker threads has documented crashes); headless, the same module is forked.
 */
export function utilityWorkerLauncher(bundleDir: string): WorkerLauncher {
  return (): WorkerHandle => {
    const child = utilityProcess.fork(join(bundleDir, 'inference-worker.js'), [], {
      serviceName: 'StreetVision inference',
      stdio: 'inherit',
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  };
}
