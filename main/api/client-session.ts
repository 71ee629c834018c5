import type { Disposable } from '../../shared/contract.js';
import type { ApiErrorPayload } from '../../shared/errors.js';
import type { EventBatch } from '../../shared/transport/wire.js';
import type { ApiEndpoint } from './api-endpoint.js';

export interface SessionSink {
  sendEvents(batches: EventBatch[]): void;
  sendStreamError(id: number, error: ApiErrorPayload): void;
}

/** How often queued events leave for the renderer: about one frame. */
export const EVENT_FLUSH_MS = 16;
/** A subscription that falls this far behind loses its oldest queued events, not the back end's memory. */
export const MAX_QUEUED_EVENTS_PER_SUBSCRIPTION = 5000;

/**
 * One connected console (a WebSocket, or one Electron window): its subscriptions, and the queue
 * that batches their events so a busy stream costs one message per frame, not one per event.
 */
export class ClientSession {
  private readonly subscriptions = new Map<number, Disposable>();
  private readonly queued = new Map<number, unknown[]>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly endpoint: ApiEndpoint,
    private readonly sink: SessionSink,
    private readonly flushMs = EVENT_FLUSH_MS,
  ) {}

  subscribe(id: number, stream: unknown, params: unknown): void {
    if (this.disposed) return;
    this.unsubscribe(id);
    const result = this.endpoint.subscribe(stream, params, (event) => this.enqueue(id, event));
    if (!result.ok) {
      this.sink.sendStreamError(id, result.error);
      return;
    }
    if (this.disposed) result.subscription.dispose();
    else this.subscriptions.set(id, result.subscription);
  }

  unsubscribe(id: number): void {
    this.subscriptions.get(id)?.dispose();
    this.subscriptions.delete(id);
    this.queued.delete(id);
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  dispose(): void {
    this.disposed = true;
    for (const subscription of this.subscriptions.values()) subscription.dispose();
    this.subscriptions.clear();
    this.queued.clear();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  private enqueue(id: number, event: unknown): void {
    if (this.disposed) return;
    let queue = this.queued.get(id);
    if (!queue) {
      queue = [];
      this.queued.set(id, queue);
    }
    queue.push(event);
    if (queue.length > MAX_QUEUED_EVENTS_PER_SUBSCRIPTION) queue.shift();
    this.flushTimer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.disposed || this.queued.size === 0) return;
    const batches: EventBatch[] = [];
    for (const [id, events] of this.queued) batches.push({ id, events });
    this.queued.clear();
    this.sink.sendEvents(batches);
  }
}
