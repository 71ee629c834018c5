import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { ChildHandle } from '../main/base/child-handle.js';
import type { WorkerLauncher } from '../main/inference/worker-launcher.js';
import type { PtyHostLauncher } from '../main/terminal/pty-host-launcher.js';

/**
 * In the desktop app the back end's helper processes are Electron utilityProcesses (onnxruntime
 * inside the main process's worker threads has documented crashes, and the fuses forbid running
 * Electron as Node, which `child_process.fork` needs); headless, the same modules are forked.
 */
function utilityProcessLauncher(bundleDir: string, entry: string, serviceName: string): () => ChildHandle {
  return (): ChildHandle => {
    const child = utilityProcess.fork(join(bundleDir, entry), [], { serviceName, stdio: 'inherit' });
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

export function utilityWorkerLauncher(bundleDir: string): WorkerLauncher {
  return utilityProcessLauncher(bundleDir, 'inference-worker.js', 'StreetVision inference');
}

/** The terminals' ptys: node-pty's native code crashes this process, never the console's. */
export function utilityPtyHostLauncher(bundleDir: string): PtyHostLauncher {
  return utilityProcessLauncher(bundleDir, 'pty-host.js', 'StreetVision terminals');
}
