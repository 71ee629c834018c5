import type { InvokeResult, StreamHandlers, Transport } from '../shared/transport/transport.js';
import { IPC_CHANNELS } from './ipc-channels.js';

/** The slice of Electron's `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

interface EventFrame {
  type?: unknown;
  id?: unknown;
  batches?: unknown;
  error?: unknown;
}

/**
 * The `window.operator` object of the Electron window: a `Transport` over IPC and nothing else.
 * It passes payloads through untouched; the back end checks what goes in, the client what comes out.
 */
export function createPreloadBridge(ipc: IpcRendererLike): Transport {
  const handlers = new Map<number, StreamHandlers>();
  let nextId = 1;

  ipc.on(IPC_CHANNELS.events, (_event, raw) => {
    const frame = (raw ?? {}) as EventFrame;
    if (frame.type === 'events' && Array.isArray(frame.batches)) {
      for (const batch of frame.batches as { id: number; events: unknown[] }[]) {
        handlers.get(batch.id)?.onEvents(batch.events);
      }
    } else if (frame.type === 'stream-error' && typeof frame.id === 'number') {
      const handler = handlers.get(frame.id);
      handlers.delete(frame.id);
      handler?.onError(frame.error as Parameters<StreamHandlers['onError']>[0]);
    }
  });

  return {
    invoke: (command, payload) => ipc.invoke(IPC_CHANNELS.invoke, command, payload) as Promise<InvokeResult>,
    subscribe(stream, params, streamHandlers) {
      const id = nextId++;
      handlers.set(id, streamHandlers);
      ipc.send(IPC_CHANNELS.subscribe, { id, stream, params });
      return () => {
        if (handlers.delete(id)) ipc.send(IPC_CHANNELS.unsubscribe, { id });
      };
    },
    onConnectionChange(listener) {
      // The back end lives in the same app: while the window exists, the link is up.
      listener('open');
      return () => undefined;
    },
  };
}
