import type { Disposable } from '../../shared/contract.js';
import { reportUnexpected } from './unexpected-errors.js';

/** A typed event source in the style of VS Code's `Emitter`: listeners are disposables. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        // One broken listener must not starve the others (a closed socket, a throwing renderer),
        // nor end the process: it is logged, and the event goes on to the next listener.
        reportUnexpected('a listener of an event', error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
  }
}

export function combineDisposables(...items: Disposable[]): Disposable {
  return {
    dispose: () => {
      for (const item of items.reverse()) item.dispose();
    },
  };
}
