/**
 * A helper process's side of its IPC channel to the host that started it: `process.send` when
 * it was forked by Node, `process.parentPort` when Electron started it as a utilityProcess.
 */
export interface ParentChannel {
  /** `sent` runs once the message has left this process (Node: written to the channel). */
  send(message: unknown, sent?: () => void): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The parent went away: a helper has nobody left to work for. */
  onDisconnect(listener: () => void): void;
}

interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function parentChannel(): ParentChannel {
  const port = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (port) {
    return {
      send: (message, sent) => {
        port.postMessage(message);
        sent?.();
      },
      onMessage: (listener) => port.on('message', (event) => listener(event.data)),
      // Electron ends a utility process together with its parent.
      onDisconnect: () => undefined,
    };
  }
  return {
    send: (message, sent) => {
      if (!process.connected) return;
      process.send?.(message, undefined, undefined, () => sent?.());
    },
    onMessage: (listener) => process.on('message', listener),
    onDisconnect: (listener) => process.on('disconnect', listener),
  };
}
