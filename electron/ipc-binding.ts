import { z } from 'zod';
import type { Disposable } from '../shared/contract.js';
import type { ServerFrame } from '../shared/transport/wire.js';
import type { InvokeResult } from '../shared/transport/transport.js';
import type { ApiEndpoint } from '../main/api/api-endpoint.js';
import { ClientSession } from '../main/api/client-session.js';
import { IPC_CHANNELS } from './ipc-channels.js';

/** The slice of Electron's `WebContents` the binding uses. */
export interface IpcSenderLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface IpcEventLike {
  readonly sender: IpcSenderLike;
  readonly senderFrame: { readonly url: string } | null;
}

/** The slice of Electron's `ipcMain` the binding uses; tests pass an in-memory twin. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeAllListeners(channel: string): unknown;
}

const SubscribeMessage = z.object({ id: z.number().int().min(0), stream: z.string(), params: z.unknown() });
const UnsubscribeMessage = z.object({ id: z.number().int().min(0) });

const untrusted: InvokeResult = {
  ok: false,
  error: { code: 'unauthorized', message: 'Calls are accepted only from the console window.' },
};

/**
 * Serves the OperatorApi over Electron IPC: commands through `ipcMain.handle`, each window's
 * subscriptions in a `ClientSession` that batches events. Every message is checked for the frame
 * that sent it, then goes through the same `ApiEndpoint` as the WebSocket binding.
 */
export function bindIpc(
  ipcMain: IpcMainLike,
  endpoint: ApiEndpoint,
  isTrustedSender: (event: IpcEventLike) => boolean,
): Disposable {
  const sessions = new Map<number, ClientSession>();

  const sessionFor = (sender: IpcSenderLike): ClientSession => {
    let session = sessions.get(sender.id);
    if (!session) {
      const send = (frame: ServerFrame): void => {
        if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.events, frame);
      };
      session = new ClientSession(endpoint, {
        sendEvents: (batches) => send({ type: 'events', batches }),
        sendStreamError: (id, error) => send({ type: 'stream-error', id, error }),
      });
      sessions.set(sender.id, session);
      sender.once('destroyed', () => {
        sessions.get(sender.id)?.dispose();
        sessions.delete(sender.id);
      });
    }
    return session;
  };

  ipcMain.handle(IPC_CHANNELS.invoke, (event, command, payload) =>
    isTrustedSender(event) ? endpoint.invoke(command, payload) : untrusted,
  );
  ipcMain.on(IPC_CHANNELS.subscribe, (event, message) => {
    if (!isTrustedSender(event)) return;
    const parsed = SubscribeMessage.safeParse(message);
    if (parsed.success) sessionFor(event.sender).subscribe(parsed.data.id, parsed.data.stream, parsed.data.params);
  });
  ipcMain.on(IPC_CHANNELS.unsubscribe, (event, message) => {
    if (!isTrustedSender(event)) return;
    const parsed = UnsubscribeMessage.safeParse(message);
    if (parsed.success) sessions.get(event.sender.id)?.unsubscribe(parsed.data.id);
  });

  return {
    dispose() {
      ipcMain.removeHandler(IPC_CHANNELS.invoke);
      ipcMain.removeAllListeners(IPC_CHANNELS.subscribe);
      ipcMain.removeAllListeners(IPC_CHANNELS.unsubscribe);
      for (const session of sessions.values()) session.dispose();
      sessions.clear();
    },
  };
}
