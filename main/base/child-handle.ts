import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A helper process the host started (the inference worker, the pty host), whichever way it was
 * started: a forked Node process headless, an Electron utilityProcess in the desktop app.
 */
export interface ChildHandle {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when it has exited (or could not be started): the exit status, null after a signal. */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/** A child process with an IPC channel, as a handle. */
export function childProcessHandle(child: ChildProcess): ChildHandle {
  const exitListeners: ((code: number | null) => void)[] = [];
  let exited = false;
  const exit = (code: number | null): void => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(code);
  };
  child.on('exit', exit);
  // A message sent to a child that has just died fails with an 'error' event (its 'exit' tells
  // the owner); a process that could not be started at all has only the 'error' to say so.
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

/**
 * Forks a helper process of the back end: its bundle when it was built beside the code, else its
 * TypeScript source through tsx (tests and `npm run` from source). Electron's shell starts the
 * same modules as utilityProcesses instead.
 */
export function forkHelper(bundled: URL, source: URL, options: { serialization?: 'advanced' } = {}): ChildHandle {
  const bundledPath = fileURLToPath(bundled);
  const entry = existsSync(bundledPath) ? bundledPath : fileURLToPath(source);
  const child = fork(entry, [], {
    ...options,
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return childProcessHandle(child);
}
