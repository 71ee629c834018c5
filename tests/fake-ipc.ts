import type { IpcEventLike, IpcMainLike, IpcSenderLike } from '../electron/ipc-binding.js';
import type { IpcRendererLike } from '../electron/preload-bridge.js';

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;

/**
 * An in-memory twin of Electron's ipcMain / ipcRenderer pair for one window. Arguments cross by
 * structured clone, as they do between Electron's processes, so what passes here passes there.
 */
export class FakeIpc {
  frameUrl = 'app://console/index.html';
  private readonly handlers = new Map<string, Listener>();
  private readonly mainListeners = new Map<string, Set<Listener>>();
  private readonly rendererListeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  private readonly destroyedListeners: (() => void)[] = [];
  private destroyed = false;

  readonly sender: IpcSenderLike = {
    id: 1,
    send: (channel, ...args) => {
      const cloned = structuredClone(args);
      setImmediate(() => {
        for (const listener of this.rendererListeners.get(channel) ?? []) listener({}, ...cloned);
      });
    },
    isDestroyed: () => this.destroyed,
    once: (_event, listener) => this.destroyedListeners.push(listener),
  };

  readonly ipcMain: IpcMainLike = {
    handle: (channel, listener) => void this.handlers.set(channel, listener),
    removeHandler: (channel) => void this.handlers.delete(channel),
    on: (channel, listener) => {
      const set = this.mainListeners.get(channel) ?? new Set();
      set.add(listener);
      this.mainListeners.set(channel, set);
    },
    removeAllListeners: (channel) => this.mainListeners.delete(channel),
  };

  readonly ipcRenderer: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      const handler = this.handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await handler(this.event(), ...structuredClone(args)));
    },
    send: (channel, ...args) => {
      const cloned = structuredClone(args);
      setImmediate(() => {
        for (const listener of this.mainListeners.get(channel) ?? []) listener(this.event(), ...cloned);
      });
    },
    on: (channel, listener) => {
      const set = this.rendererListeners.get(channel) ?? new Set();
      set.add(listener);
      this.rendererListeners.set(channel, set);
    },
  };

  /** Closes the window: the binding must let go of its subscriptions. */
  destroy(): void {
    this.destroyed = true;
    for (const listener of this.destroyedListeners.splice(0)) listener();
  }

  private event(): IpcEventLike {
    return { sender: this.sender, senderFrame: { url: this.frameUrl } };
  }
}
